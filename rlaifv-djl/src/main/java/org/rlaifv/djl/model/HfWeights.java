package org.rlaifv.djl.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.rlaifv.BackendException;
import org.rlaifv.ModelFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the weights of a Hugging Face model directory: one {@code model.safetensors} or shards
 * listed in {@code model.safetensors.index.json}, stored as F32, F16, BF16 or F64 and converted to
 * float32. A LLaVA directory may use either key layout found on the hub (the original {@code
 * language_model.model.*} / {@code language_model.lm_head} / {@code vision_tower.*} / {@code
 * multi_modal_projector.*}, or the newer {@code model.language_model.*} / {@code
 * model.vision_tower.*} / {@code model.multi_modal_projector.*} / {@code lm_head}); a text-only
 * causal LM uses {@code model.*} and {@code lm_head}.
 *
 * <p>Every tensor is checked against the config before any data is read, and tensors are then
 * read one at a time, shard by shard, so loading holds the float32 model plus one tensor. Tensors
 * the model does not use (CLIP's {@code post_layernorm}, SigLIP's {@code head}, rotary {@code
 * inv_freq} buffers, CLIP's {@code position_ids}, a saved head of a tied model) are skipped.
 */
final class HfWeights {
  private static final Logger LOG = LoggerFactory.getLogger(HfWeights.class);

  /** The single-file weights name. */
  static final String SINGLE = "model.safetensors";

  /** The shard index name. */
  static final String INDEX = "model.safetensors.index.json";

  private static final String V = "vision_tower.vision_model.";

  private HfWeights() {}

  /**
   * Maps a key of either hub layout to the original layout's name.
   *
   * @param key a tensor name as stored
   * @return the name in the original layout
   */
  static String canonical(String key) {
    if (key.startsWith("model.language_model.")) {
      return "language_model.model." + key.substring("model.language_model.".length());
    }
    if (key.startsWith("model.vision_tower.")) {
      return key.substring("model.".length());
    }
    if (key.startsWith("model.multi_modal_projector.")) {
      return key.substring("model.".length());
    }
    if (key.startsWith("lm_head.")) {
      return "language_model." + key;
    }
    return key;
  }

  private static boolean unused(String canonical, VlmConfig config) {
    return canonical.startsWith(V + "post_layernorm.")
        || canonical.startsWith(V + "head.")
        || canonical.endsWith(".rotary_emb.inv_freq")
        || canonical.equals(V + "embeddings.position_ids")
        || (config.tieWordEmbeddings() && canonical.equals("language_model.lm_head.weight"));
  }

  /**
   * Lists the weight files of a model directory.
   *
   * @param dir the model directory
   * @return the safetensors files, in shard order
   * @throws ModelFormatException naming the directory or index when no weights are found or a
   *     listed shard is missing
   */
  static List<Path> files(Path dir) {
    Path index = dir.resolve(INDEX);
    if (Files.isRegularFile(index)) {
      JsonNode root;
      try {
        root = VlmConfig.json().readTree(Files.readAllBytes(index));
      } catch (IOException e) {
        throw new ModelFormatException("cannot read " + index + ": " + e.getMessage(), e);
      }
      JsonNode map = root == null ? null : root.get("weight_map");
      if (map == null || !map.isObject() || map.isEmpty()) {
        throw new ModelFormatException(index + ": missing object field weight_map");
      }
      Set<String> shards = new LinkedHashSet<>();
      for (Map.Entry<String, JsonNode> e : map.properties()) {
        String shard = e.getValue().asText();
        Path f = dir.resolve(shard).normalize();
        if (!f.startsWith(dir.normalize()) || shard.contains("/") || shard.contains("\\")) {
          throw new ModelFormatException(index + ": shard name " + shard + " of tensor "
              + e.getKey() + " is not a file name in the model directory");
        }
        shards.add(shard);
      }
      List<Path> out = new ArrayList<>();
      for (String shard : shards.stream().sorted().toList()) {
        Path f = dir.resolve(shard);
        if (!Files.isRegularFile(f)) {
          throw new ModelFormatException(index + " lists shard " + shard + ", which is missing from "
              + dir);
        }
        out.add(f);
      }
      return out;
    }
    Path single = dir.resolve(SINGLE);
    if (!Files.isRegularFile(single)) {
      throw new ModelFormatException(
          "missing weights in " + dir + ": neither " + SINGLE + " nor " + INDEX);
    }
    return List.of(single);
  }

  /**
   * Returns the bytes the float32 parameters of a config take.
   *
   * @param config the config
   * @return bytes
   */
  static long float32Bytes(VlmConfig config) {
    return float32Bytes(VlmModel.parameterShapes(config));
  }

  private static long float32Bytes(Map<String, long[]> shapes) {
    long n = 0;
    for (long[] shape : shapes.values()) {
      n += Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }
    return 4 * n;
  }

  /**
   * Loads the weights of a LLaVA directory into a new model.
   *
   * @param dir the model directory
   * @param config its config
   * @param device where the parameters live
   * @return the model, closed by the caller
   * @throws ModelFormatException naming the file and tensor when a tensor is missing from every
   *     shard, unexpected, of the wrong shape or an unsupported dtype
   * @throws BackendException when the float32 model cannot fit in this machine's available memory
   */
  static VlmModel load(Path dir, VlmConfig config, Device device) {
    Loaded l = loadParameters(dir, VlmModel.parameterShapes(config), HfWeights::canonical,
        name -> unused(name, config), device);
    try {
      return VlmModel.wrap(config, l.manager(), l.params());
    } catch (RuntimeException e) {
      l.manager().close();
      throw e;
    }
  }

  /**
   * Loads the weights of a text-only causal LM directory ({@code model.embed_tokens.weight},
   * {@code model.layers.N.*}, {@code model.norm.weight}, {@code lm_head.weight} unless tied) into a
   * new model. Rotary {@code inv_freq} buffers and a saved head of a tied model are skipped.
   *
   * @param dir the model directory
   * @param config its config
   * @param device where the parameters live
   * @return the model, closed by the caller
   * @throws ModelFormatException naming the file and tensor when a tensor is missing from every
   *     shard, unexpected, of the wrong shape or an unsupported dtype
   * @throws BackendException when the float32 model cannot fit in this machine's available memory
   */
  static CausalLmModel loadCausalLm(Path dir, TextConfig config, Device device) {
    Loaded l = loadParameters(dir, CausalLmModel.parameterShapes(config), key -> key,
        name -> name.endsWith(".rotary_emb.inv_freq")
            || (config.tieWordEmbeddings() && name.equals(CausalLmModel.LM_HEAD)),
        device);
    try {
      return CausalLmModel.wrap(config, l.manager(), l.params());
    } catch (RuntimeException e) {
      l.manager().close();
      throw e;
    }
  }

  /** Parameters read from a directory, owned by their manager. */
  private record Loaded(NDManager manager, Map<String, NDArray> params) {}

  /**
   * Reads the tensors a model expects, in the model's order.
   *
   * @param expected canonical name to shape
   * @param canonical maps a stored key to its canonical name
   * @param unused canonical names that are stored but not used
   */
  private static Loaded loadParameters(Path dir, Map<String, long[]> expected,
      Function<String, String> canonical, Predicate<String> unused, Device device) {
    List<Path> files = files(dir);
    Map<String, String> storedName = new HashMap<>();
    Map<String, Path> fileOf = new HashMap<>();
    for (Path f : files) {
      for (Map.Entry<String, SafeTensors.Entry> e : SafeTensors.entries(f).entrySet()) {
        String key = e.getKey();
        String name = canonical.apply(key);
        if (unused.test(name)) {
          continue;
        }
        long[] shape = expected.get(name);
        if (shape == null) {
          throw new ModelFormatException(
              f + ": unexpected tensor " + key + " that " + dir.resolve(VlmConfig.FILE_NAME)
                  + " does not describe");
        }
        String dtype = e.getValue().dtype();
        if (!Set.of("F32", "F16", "BF16", "F64").contains(dtype)) {
          throw new ModelFormatException(
              f + ", tensor " + key + ": unsupported dtype " + dtype + " (F32, F16, BF16 or F64)");
        }
        if (!Arrays.equals(shape, e.getValue().shape())) {
          throw new ModelFormatException(
              f + ", tensor " + key + " has shape " + Arrays.toString(e.getValue().shape())
                  + " but " + VlmConfig.FILE_NAME + " implies " + Arrays.toString(shape));
        }
        if (fileOf.put(name, f) != null) {
          throw new ModelFormatException(
              "tensor " + key + " appears twice in " + dir + " (in " + f + " and another file)");
        }
        storedName.put(name, key);
      }
    }
    for (String name : expected.keySet()) {
      if (!fileOf.containsKey(name)) {
        throw new ModelFormatException(
            "tensor " + name + " (or its newer-layout name) is missing from every weights file of "
                + dir);
      }
    }
    long need = float32Bytes(expected);
    checkMemory(dir, need);
    NDManager manager = NDManager.newBaseManager(device);
    try {
      Map<String, NDArray> loaded = new HashMap<>();
      for (Path f : files) {
        SafeTensors.streamDirect(
            f,
            key -> {
              String name = canonical.apply(key);
              return fileOf.get(name) == f && key.equals(storedName.get(name));
            },
            (key, shape, data) -> {
              String name = canonical.apply(key);
              // a direct buffer in native order is adopted by the engine without another copy
              NDArray a = manager.create(data, new Shape(shape), DataType.FLOAT32);
              a.setName(name);
              loaded.put(name, a);
            });
      }
      Map<String, NDArray> params = new LinkedHashMap<>();
      for (String name : expected.keySet()) {
        params.put(name, loaded.get(name));
      }
      long mb = need >> 20;
      if (mb >= 100) {
        LOG.info("loaded {} tensors ({} MB as float32) from {} file(s) in {}", params.size(), mb,
            files.size(), dir);
      } else {
        LOG.debug("loaded {} tensors ({} MB as float32) from {} file(s) in {}", params.size(), mb,
            files.size(), dir);
      }
      return new Loaded(manager, params);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Refuses a model whose float32 weights exceed the memory this machine has available. */
  private static void checkMemory(Path dir, long need) {
    long available = availableBytes();
    if (available > 0 && need > available) {
      throw new BackendException(
          "the model in " + dir + " needs " + (need >> 20) + " MB as float32 but only "
              + (available >> 20) + " MB of memory is available");
    }
  }

  /** MemAvailable from /proc/meminfo, or -1 when unknown. */
  private static long availableBytes() {
    Path meminfo = Path.of("/proc/meminfo");
    if (!Files.isReadable(meminfo)) {
      return -1;
    }
    try {
      for (String line : Files.readAllLines(meminfo)) {
        if (line.startsWith("MemAvailable:")) {
          String[] parts = line.trim().split("\\s+");
          return Long.parseLong(parts[1]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("cannot read {}: {}", meminfo, e.toString());
    }
    return -1;
  }
}
