package org.rlaifv.djl.export;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.io.AtomicFiles;
import org.rlaifv.core.io.Json;
import org.rlaifv.djl.model.CausalLmModel;
import org.rlaifv.djl.model.TextConfig;
import org.rlaifv.djl.model.VlmConfig;
import org.rlaifv.djl.model.VlmModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a model the DJL backend opens to ONNX in the layout Hugging Face Optimum uses: a LLaVA
 * model (CLIP or SigLIP tower, projector, Llama, Mistral or Qwen2 decoder) or a text-only causal
 * LM (embedding and decoder, no vision graph).
 *
 * <p>The output directory receives {@value #VISION} ({@code pixel_values -> image_features}, LLaVA
 * only), {@value #EMBED} ({@code input_ids -> inputs_embeds}) and {@value #DECODER} ({@code
 * inputs_embeds}, {@code attention_mask}, {@code position_ids}, {@code past_key_values.N.key/value}
 * in; {@code logits}, {@code present.N.key/value} out; the past may be empty), all opset {@value
 * OnnxGraph#OPSET} with float32 weights, plus {@code config.json} and, when exporting a directory,
 * the tokenizer, chat template, generation and preprocessor files beside them, so the directory is
 * self-contained. Beside the Optimum files it writes {@value #SHARED_PREFIX_DECODER}: the decoder
 * again, for B continuations of one cached prefix (inputs as above with the past as the prefix, 1
 * or B rows, plus each row's own {@code suffix_key_values.N.key/value}; outputs {@code logits} and
 * {@code present_suffix.N.key/value}), which the ONNX Runtime judge and sampler use so that the
 * prefix is not copied once per question or sample. The graphs compute exactly what {@link
 * VlmModel} and {@link CausalLmModel} compute.
 *
 * <p>Weights are written inside each graph file up to {@link #DEFAULT_EXTERNAL_DATA_ABOVE} bytes
 * per graph; above, in an external-data file named after the graph ({@code
 * vision_encoder.onnx_data}, {@code embed_tokens.onnx_data}, {@code
 * decoder_model_merged.onnx_data}, the last shared by both decoders) as Optimum writes models
 * over protobuf's 2 GB limit. ONNX Runtime finds the data file beside the graph.
 *
 * <pre>{@code
 * OnnxExporter.export(Path.of("llava-interleave-qwen-0.5b-hf"), Path.of("llava-onnx"));
 * }</pre>
 *
 * <p>Stateless and thread-safe; no Python or protobuf compiler is involved.
 */
public final class OnnxExporter {
  /** File name of the vision encoder graph. */
  public static final String VISION = "vision_encoder.onnx";

  /** File name of the token embedding graph. */
  public static final String EMBED = "embed_tokens.onnx";

  /** File name of the decoder graph. */
  public static final String DECODER = "decoder_model_merged.onnx";

  /**
   * File name of the shared-prefix decoder: the same weights, for many continuations of one
   * cached prefix (the judge's questions, the sampler's samples) without copying the prefix's
   * cache per row.
   */
  public static final String SHARED_PREFIX_DECODER = "decoder_shared_prefix.onnx";

  /**
   * The weight size above which a graph's weights go to an external-data file ({@code
   * <graph>.onnx_data} beside it) instead of inside the model file: under protobuf's 2 GB limit
   * on one message.
   */
  public static final long DEFAULT_EXTERNAL_DATA_ABOVE = 2_000_000_000L;

  /** Suffix of a graph's external-data file, as Optimum names it. */
  public static final String EXTERNAL_DATA_SUFFIX = "_data";

  private static final String PRODUCER = "rlaifv-djl";
  private static final ObjectMapper JSON = Json.newMapper(true);
  private static final Logger LOG = LoggerFactory.getLogger(OnnxExporter.class);

  private OnnxExporter() {}

  /**
   * Exports a model directory: a LLaVA checkpoint (CLIP or SigLIP tower, Llama, Mistral or Qwen2
   * decoder) or a text-only causal LM ({@code LlamaForCausalLM}, {@code MistralForCausalLM},
   * {@code Qwen2ForCausalLM}), as the DJL backend opens them. Loads it on the CPU as float32,
   * writes the graphs (without {@value #VISION} for a text-only LM), {@code config.json} with the
   * sizes the graphs were made for, and copies the tokenizer, chat template, generation and
   * preprocessor files beside them. Graphs whose weights exceed {@value
   * #DEFAULT_EXTERNAL_DATA_ABOVE} bytes keep them in an external-data file.
   *
   * <p>Memory: the float32 model once, plus the largest weight while it is written: the weights
   * are streamed to disk tensor by tensor, and the decoder and shared-prefix decoder, when their
   * weights are external, share one data file.
   *
   * @param modelDir the model directory (config.json, safetensors weights, tokenizer.json, ...)
   * @param outDir the destination, created when absent
   * @throws ModelFormatException naming the file when the model cannot be read
   * @throws UncheckedIOException when a file cannot be written
   */
  public static void export(Path modelDir, Path outDir) {
    export(modelDir, outDir, true, DEFAULT_EXTERNAL_DATA_ABOVE);
  }

  /**
   * Exports a model directory as {@link #export(Path, Path)} does, with another size above which a
   * graph's weights go to its external-data file ({@code <graph>.onnx_data}, {@code
   * data_location = EXTERNAL} as ONNX's {@code save_as_external_data} writes it); 0 puts every
   * graph's weights there.
   *
   * @param modelDir the model directory
   * @param outDir the destination, created when absent
   * @param externalDataAbove weight bytes of a graph above which they are stored externally
   * @throws ModelFormatException naming the file when the model cannot be read
   * @throws UncheckedIOException when a file cannot be written
   * @throws IllegalArgumentException when the size is negative
   */
  public static void export(Path modelDir, Path outDir, long externalDataAbove) {
    if (externalDataAbove < 0) {
      throw new IllegalArgumentException(
          "externalDataAbove must not be negative, got " + externalDataAbove);
    }
    export(modelDir, outDir, true, externalDataAbove);
  }

  /**
   * Exports a model directory for rlaifv's own ONNX Runtime roles only: as {@link #export(Path,
   * Path)} without {@value #DECODER}, which {@code OrtResponseSampler} and {@code OrtPolarJudge}
   * do not read when {@value #SHARED_PREFIX_DECODER} is there. Use it where a policy is
   * re-exported every iteration to be sampled, as with {@code OrtPolicies.reexportingSampler}; use
   * {@link #export(Path, Path)} for a directory other tools will read.
   *
   * @param modelDir the DJL model directory
   * @param outDir the destination, created when absent
   * @throws ModelFormatException naming the file when the model cannot be read
   * @throws UncheckedIOException when a file cannot be written
   */
  public static void exportForSampling(Path modelDir, Path outDir) {
    export(modelDir, outDir, false, DEFAULT_EXTERNAL_DATA_ABOVE);
  }

  /** Whether a config.json describes a LLaVA model (else a text-only causal LM). */
  static boolean isVlm(JsonNode root) {
    return root.path("vision_config").isObject()
        || "llava".equals(root.path("model_type").asText(""));
  }

  private static void export(
      Path modelDir, Path outDir, boolean optimumDecoder, long externalDataAbove) {
    Path configFile = modelDir.resolve(VlmConfig.FILE_NAME);
    if (!Files.isRegularFile(configFile)) {
      throw new ModelFormatException("missing " + configFile);
    }
    ObjectNode root;
    try {
      JsonNode tree = JSON.readTree(Files.readAllBytes(configFile));
      if (!(tree instanceof ObjectNode o)) {
        throw new ModelFormatException(configFile + ": expected a JSON object");
      }
      root = o;
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + configFile + ": " + e.getMessage(), e);
    }
    createDirectories(outDir);
    if (isVlm(root)) {
      try (VlmModel model = VlmModel.load(modelDir, Device.cpu())) {
        writeVlm(model, outDir, optimumDecoder, externalDataAbove);
        VlmConfig c = model.config();
        root.put("image_seq_length", c.numImageTokens());
        ObjectNode text =
            root.path("text_config") instanceof ObjectNode t ? t : root;
        explicitSizes(text, c.textConfig());
      }
    } else {
      try (CausalLmModel model = CausalLmModel.load(modelDir, Device.cpu())) {
        writeCausalLm(model, outDir, optimumDecoder, externalDataAbove);
        explicitSizes(root, model.config());
      }
    }
    try {
      AtomicFiles.write(outDir.resolve(VlmConfig.FILE_NAME), JSON.writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + outDir.resolve(VlmConfig.FILE_NAME), e);
    }
    copyTexts(modelDir, outDir);
  }

  /**
   * Writes the sizes the ONNX Runtime side would otherwise have to default as transformers does
   * (the head width and the position limit).
   */
  private static void explicitSizes(ObjectNode text, TextConfig c) {
    text.put("head_dim", c.headDim());
    text.put("max_position_embeddings", c.maxPositionEmbeddings());
  }

  /** Copies the tokenizer, chat template, generation and preprocessor files. */
  private static void copyTexts(Path modelDir, Path outDir) {
    try (var files = Files.list(modelDir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (Files.isRegularFile(f) && isText(name)) {
          Files.copy(f, outDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy model files from " + modelDir + " to " + outDir, e);
    }
  }

  /** The files of a model directory an export copies: everything but the config and weights. */
  static boolean isText(String name) {
    if (name.equals(VlmConfig.FILE_NAME) || name.endsWith(".safetensors.index.json")
        || name.equals("golden.json")) {
      return false;
    }
    return name.endsWith(".json") || name.endsWith(".jinja") || name.endsWith(".txt")
        || name.equals("tokenizer.model");
  }

  /**
   * Exports a loaded model: writes the four graphs and {@code config.json}.
   *
   * @param model the model (read, not modified)
   * @param outDir the destination, created when absent
   * @throws UncheckedIOException when a file cannot be written
   */
  public static void export(VlmModel model, Path outDir) {
    createDirectories(outDir);
    writeVlm(model, outDir, true, DEFAULT_EXTERNAL_DATA_ABOVE);
    model.config().write(outDir.resolve(VlmConfig.FILE_NAME));
  }

  private static void createDirectories(Path outDir) {
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + outDir, e);
    }
  }

  private static void writeVlm(
      VlmModel model, Path outDir, boolean optimumDecoder, long externalDataAbove) {
    VlmConfig c = model.config();
    WeightSource w = weights(model.parameters());
    VlmConfig.VisionConfig v = c.visionConfig();
    OnnxGraph vision =
        VisionGraph.build(
            new VisionGraph.Shape(
                v.imageSize(),
                v.patchSize(),
                v.hiddenSize(),
                v.numAttentionHeads(),
                v.intermediateSize(),
                c.visionLayersUsed(),
                (float) v.layerNormEps(),
                c.hiddenSize(),
                v.classToken(),
                !v.isSiglip(),
                v.hiddenAct(),
                "default".equals(c.visionFeatureSelectStrategy()),
                c.projectorHiddenAct()),
            w);
    writeGraphs(List.of(vision), List.of(VISION), outDir, externalDataAbove, VISION);
    writeText(c.textConfig(), "language_model.model.", "language_model.lm_head.weight", w, outDir,
        optimumDecoder, externalDataAbove);
    LOG.info("exported {} parameters to ONNX in {}", model.parameterCount(), outDir);
  }

  private static void writeCausalLm(
      CausalLmModel model, Path outDir, boolean optimumDecoder, long externalDataAbove) {
    writeText(model.config(), "model.", "lm_head.weight", weights(model.parameters()), outDir,
        optimumDecoder, externalDataAbove);
    // a text-only export has no vision graph; drop one an earlier export left
    deleteStale(outDir.resolve(VISION));
    deleteStale(outDir.resolve(VISION + EXTERNAL_DATA_SUFFIX));
    LOG.info("exported {} parameters to ONNX in {}", model.parameterCount(), outDir);
  }

  /** Writes the embedding graph and the decoders of a text model under a name prefix. */
  private static void writeText(TextConfig c, String prefix, String untiedHead, WeightSource w,
      Path outDir, boolean optimumDecoder, long externalDataAbove) {
    String embedName = prefix + "embed_tokens.weight";
    OnnxGraph embed = EmbedGraph.build(embedName, c.vocabSize(), c.hiddenSize(), w);
    writeGraphs(List.of(embed), List.of(EMBED), outDir, externalDataAbove, EMBED);
    DecoderGraph.Shape shape =
        new DecoderGraph.Shape(
            c.hiddenSize(),
            c.numHiddenLayers(),
            c.numAttentionHeads(),
            c.numKeyValueHeads(),
            c.headDim(),
            c.intermediateSize(),
            c.vocabSize(),
            (float) c.rmsNormEps(),
            c.ropeTheta(),
            c.slidingWindow());
    DecoderGraph.Names names =
        new DecoderGraph.Names(
            prefix + "layers.",
            prefix + "norm.weight",
            c.tieWordEmbeddings() ? embedName : untiedHead);
    List<OnnxGraph> graphs = new ArrayList<>();
    List<String> files = new ArrayList<>();
    if (optimumDecoder) {
      graphs.add(DecoderGraph.build(shape, names, w));
      files.add(DECODER);
    } else {
      deleteStale(outDir.resolve(DECODER));
    }
    graphs.add(DecoderGraph.buildSharedPrefix(shape, names, w));
    files.add(SHARED_PREFIX_DECODER);
    writeGraphs(graphs, files, outDir, externalDataAbove, DECODER);
  }

  /**
   * Writes graphs that hold the same weights: inside each file when they are at most {@code
   * externalDataAbove} bytes, else once in {@code dataOwner + "_data"}, which every graph refers
   * to.
   */
  private static void writeGraphs(List<OnnxGraph> graphs, List<String> files, Path outDir,
      long externalDataAbove, String dataOwner) {
    Path dataFile = outDir.resolve(dataOwner + EXTERNAL_DATA_SUFFIX);
    long bytes = graphs.get(0).weightBytes();
    List<Path> paths = files.stream().map(outDir::resolve).toList();
    if (bytes > externalDataAbove) {
      LOG.debug("writing {} MB of weights of {} to {}", bytes >> 20, files, dataFile);
      OnnxGraph.writeAll(graphs, paths, PRODUCER, dataFile);
    } else {
      for (int i = 0; i < graphs.size(); i++) {
        graphs.get(i).write(paths.get(i), PRODUCER);
      }
      deleteStale(dataFile);
    }
  }

  private static void deleteStale(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file + " left by an earlier export", e);
    }
  }

  /**
   * Lists the files an export of a LLaVA model writes (graphs and config), for callers that check
   * a directory; an export of a text-only LM has no {@value #VISION}.
   *
   * @return the file names
   */
  public static List<String> files() {
    return new ArrayList<>(
        List.of(VISION, EMBED, DECODER, SHARED_PREFIX_DECODER, VlmConfig.FILE_NAME));
  }

  private static WeightSource weights(Map<String, NDArray> params) {
    return new WeightSource() {
      @Override
      public Supplier<float[]> lazy(String name, long... shape) {
        NDArray a = params.get(name);
        if (a == null) {
          throw new ModelFormatException("model has no parameter " + name + " to export");
        }
        long[] actual = a.getShape().getShape();
        if (!Arrays.equals(actual, shape)) {
          throw new ModelFormatException(
              "parameter "
                  + name
                  + " has shape "
                  + Arrays.toString(actual)
                  + ", the ONNX graph expects "
                  + Arrays.toString(shape));
        }
        return () -> {
          if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
          }
          try (NDArray f = a.toType(DataType.FLOAT32, false)) {
            return f.toFloatArray();
          }
        };
      }

      @Override
      public boolean has(String name) {
        return params.containsKey(name);
      }
    };
  }
}
