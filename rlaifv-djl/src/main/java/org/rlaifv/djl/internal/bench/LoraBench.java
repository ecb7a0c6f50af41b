package org.rlaifv.djl.internal.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlaifv.BackendException;
import org.rlaifv.LoraConfig;
import org.rlaifv.core.hf.PromptFormat;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.TokenizerFiles;
import org.rlaifv.djl.model.VlmConfig;
import org.rlaifv.djl.train.DpoBench;

/**
 * Full-parameter DPO against LoRA DPO on a model with the text shapes of llava-interleave-qwen-0.5b
 * (Qwen2 decoder: 24 layers, hidden 1024, 16 heads, MLP 2816, vocabulary 151646, q/k/v biases,
 * tied embeddings; a one-layer 64-wide vision tower stands in for SigLIP): trainable parameters,
 * AdamW state bytes, peak resident memory of the process and pairs per second of DPO steps (one
 * pair per step, chosen and rejected in one batch). Each measurement runs in its own JVM, so the
 * peak resident set ({@code VmHWM}) is that measurement's alone; the random model is written to
 * disk once by a third JVM and each measurement streams it in.
 *
 * <p>Internal: run by {@code rlaifv bench --lora}; not part of the SDK's API.
 */
public final class LoraBench {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The LoRA setting measured: rank 16, alpha 32, every decoder projection. */
  public static final LoraConfig LORA = LoraConfig.builder().rank(16).alpha(32).dropout(0).build();

  private LoraBench() {}

  /**
   * The real-shape config: llava-interleave-qwen-0.5b's text model with a tiny vision tower.
   *
   * @return the config
   */
  public static VlmConfig realShapes() {
    return new VlmConfig(1024, 24, 16, 16, 2816, 1e-6, 1_000_000, 151646, 512, 0.02,
        VlmConfig.VisionConfig.of(32, 16, 64, 1, 2, 128), "gelu", -1, "qwen2", 64, true, false,
        false, true, 0, "full", true, -1, "silu");
  }

  /**
   * Runs the comparison: writes the model into a temporary directory (deleted afterwards), then
   * measures full and LoRA DPO, each in a child JVM, and writes the figures as JSON.
   *
   * @param result the JSON file to write (its directory is created)
   * @param steps timed DPO steps per measurement (one untimed step first)
   * @return {@code full}, {@code lora_r16} (each: trainable_parameters, optimizer_state_bytes,
   *     peak_rss_bytes, pairs_per_s, ...) and the ratios
   */
  public static Map<String, Object> run(Path result, int steps) {
    Path work;
    try {
      Files.createDirectories(result.toAbsolutePath().getParent());
      work = Files.createTempDirectory("rlaifv-bench-lora");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for " + result, e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      Path model = work.resolve("real-shape-0.5b");
      child("4g", "write", model.toString());
      out.put("model", "llava-interleave-qwen-0.5b text shapes (Qwen2, 24 x 1024, MLP 2816, vocab "
          + "151646, tied embeddings) with a 1-layer 64-wide vision tower; float32, CPU");
      out.put("lora", "rank " + LORA.rank() + ", alpha " + (int) LORA.alpha() + ", "
          + String.join("/", LORA.targetModules()));
      JsonNode full = child("1g", "measure", model.toString(), "full", Integer.toString(steps));
      JsonNode lora = child("1g", "measure", model.toString(), "lora", Integer.toString(steps));
      out.put("full", JSON.convertValue(full, Map.class));
      out.put("lora_r16", JSON.convertValue(lora, Map.class));
      out.put("optimizer_state_ratio", lora.get("optimizer_state_bytes").asDouble()
          / full.get("optimizer_state_bytes").asDouble());
      out.put("peak_rss_reduction", 1 - lora.get("peak_rss_bytes").asDouble()
          / full.get("peak_rss_bytes").asDouble());
      out.put("speedup", lora.get("pairs_per_s").asDouble() / full.get("pairs_per_s").asDouble());
      JSON.writerWithDefaultPrettyPrinter().writeValue(result.toFile(), out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + result, e);
    } finally {
      try {
        MoreFiles.deleteRecursively(work, RecursiveDeleteOption.ALLOW_INSECURE);
      } catch (IOException e) {
        // a leftover temporary directory is harmless
      }
    }
    return out;
  }

  /** Runs this class's main in a new JVM and returns the JSON it writes. */
  private static JsonNode child(String heap, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx" + heap);
    // the loader streams each tensor through a direct buffer (the embedding is 0.6 GB)
    cmd.add("-XX:MaxDirectMemorySize=4g");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LoraBench.class.getName());
    cmd.addAll(List.of(args));
    try {
      Path result = Files.createTempFile("rlaifv-lora-bench", ".json");
      Path log = Files.createTempFile("rlaifv-lora-bench", ".log");
      cmd.add(result.toString());
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
            .redirectOutput(log.toFile()).start();
        int rc = p.waitFor();
        if (rc != 0 || Files.size(result) == 0) {
          List<String> lines = Files.readAllLines(log);
          throw new BackendException("LoRA bench step " + String.join(" ", args)
              + " failed (exit " + rc + "): "
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
        return JSON.readTree(result.toFile());
      } finally {
        Files.deleteIfExists(result);
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run the LoRA bench step " + args[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException("interrupted", e);
    }
  }

  /**
   * Child entry: {@code write DIR RESULT} or {@code measure DIR full|lora STEPS RESULT}; writes its
   * figures as JSON to the file RESULT.
   *
   * @param args the mode and its arguments
   */
  public static void main(String[] args) throws IOException {
    ai.djl.engine.Engine.getEngine("PyTorch");
    Path result = Path.of(args[args.length - 1]);
    Path dir = Path.of(args[1]);
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      words.add("w" + i);
    }
    words.addAll(List.of("USER", ":", "ASSISTANT", "describe", "the", "image", "."));
    if (args[0].equals("write")) {
      Files.createDirectories(dir);
      Path tok = dir.resolve("tokenizer-src.json");
      TokenizerFiles.writeWordLevel(tok, words);
      try (LoadedVlm vlm = LoadedVlm.create(realShapes(), 1, tok, PromptFormat.defaults(),
          Device.cpu())) {
        vlm.save(dir);
        JSON.writeValue(result.toFile(), Map.of("parameters", vlm.model().parameterCount()));
      }
      return;
    }
    boolean lora = args[2].equals("lora");
    int steps = Integer.parseInt(args[3]);
    try (LoadedVlm vlm = LoadedVlm.load(dir, Device.cpu())) {
      long total = vlm.model().parameterCount();
      DpoBench.Result r = DpoBench.measure(vlm,
          DpoBench.syntheticPairs(words.subList(0, 200), 4, 16, 24, 32, 7), 1, 1, steps,
          lora ? LORA : null);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("model_parameters", total);
      m.put("trainable_parameters", r.parameters());
      // AdamW keeps two float32 moments per trainable parameter; gradients take as much again
      m.put("optimizer_state_bytes", 8 * r.parameters());
      m.put("gradient_bytes", 4 * r.parameters());
      m.put("peak_rss_bytes", peakRss());
      m.put("pairs_per_s", r.pairsPerSecond());
      m.put("seconds_per_step", r.seconds() / r.steps());
      m.put("steps", r.steps());
      m.put("tokens_per_row", r.rowsTokensPerStep());
      JSON.writeValue(result.toFile(), m);
    }
  }

  /** The process's peak resident set (VmHWM), in bytes, or -1 when unknown. */
  static long peakRss() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }
}
