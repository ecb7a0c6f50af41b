package org.rlaifv.examples;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.djl.internal.bench.DjlBench;
import org.rlaifv.djl.internal.bench.LoraBench;
import org.rlaifv.djl.export.OnnxExporter;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.train.DpoBench;
import org.rlaifv.examples.shapes.ShapesModels;
import org.rlaifv.onnx.OnnxBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench}: measures the backends on a LLaVA-shaped model at small width (256 image tokens,
 * 32-token prompt prefix, ~12-token questions, 8 responses x 4 claims, 48-token responses) and on
 * the shipped ShapesWorld models, and writes {@code DIR/bench.json}: {@code matmul_gflops}, {@code
 * judge.*}, {@code sampler.*}, {@code dpo.*} ({@code dpo.mfu} = train GFLOP/s / matmul GFLOP/s),
 * {@code onnx.*} at the top level for the LLaVA-shaped model, the same under {@code shapesworld}.
 *
 * <p>With {@code --real-shapes} it runs only the real-size section instead ({@link
 * RealShapesBench}: llava-interleave-qwen-0.5b's shapes on both backends, each in a JVM of its
 * own) and writes it as {@code real_shapes} into {@code DIR/bench.json}, keeping the figures
 * already there. A further section is a method that returns its figures as a map and a key of
 * bench.json, as {@code realShapes()} does.
 *
 * <pre>{@code
 * java -jar examples/target/rlaifv.jar bench --out runs/bench [--quick]
 * java -jar examples/target/rlaifv.jar bench --real-shapes --out runs/bench [--quick] [--threads N]
 * java -jar examples/target/rlaifv.jar bench --lora --out runs/bench [--quick]
 * java -cp "examples/target/rlaifv.jar:$(cat rlaifv-spark/target/spark-classpath.txt)" \
 *     org.rlaifv.examples.Main bench --spark --out runs/bench [--quick]
 * }</pre>
 */
@Command(name = "bench", sortOptions = false,
    description = {"Measures judge, sampler, DPO and ONNX Runtime throughput on a LLaVA-shaped "
        + "model and on the ShapesWorld models; writes DIR/bench.json. --real-shapes measures "
        + "both backends at the sizes of llava-interleave-qwen-0.5b instead.", ""})
final class BenchCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final PrintStream out;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/bench",
      description = "Where bench.json is written (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--quick", description = "One round of each measurement (a smoke run).")
  boolean quick;

  @Option(names = "--models", paramLabel = "DIR",
      description = "Directory holding shapes-policy and shapes-labeler (default: the shipped "
          + "examples/models).")
  String modelsOption;

  @Option(names = "--lora", description = "Only the LoRA section: full versus LoRA r = 16 DPO "
      + "on a model of llava-interleave-qwen-0.5b's text shapes, each in its own JVM; writes "
      + "DIR/bench-lora.json.")
  boolean lora;

  @Option(names = "--real-shapes", description = "Only the real-shapes section: random weights "
      + "with the shapes of llava-interleave-qwen-0.5b on both backends, each in a JVM of its "
      + "own; written as real_shapes in DIR/bench.json, beside any figures already there.")
  boolean realShapes;

  @Option(names = "--backend", paramLabel = "NAME",
      description = "With --real-shapes: measure only this backend (djl or onnx), in this JVM.")
  String backend;

  @Option(names = "--threads", paramLabel = "N",
      description = "With --real-shapes: intra-op threads of both engines (default: 1, the "
          + "SDK's default; on a shared machine a second PyTorch thread made decoding 10x slower).")
  Integer threads;

  @Option(names = "--cache", paramLabel = "DIR",
      description = "With --real-shapes: where the generated model directories and their ONNX "
          + "export are kept for later runs (default: rlaifv-real-shapes in the temp directory).")
  Path cache;

  @Option(names = "--model", paramLabel = "DIR", hidden = true,
      description = "With --backend: the model directory to measure (default: generated).")
  Path model;

  @Option(names = "--text-model", paramLabel = "DIR", hidden = true,
      description = "With --backend: the text-only model directory (default: generated).")
  Path textModel;

  @Option(names = "--spark", description = "Instead: measure feedback collection (sample + "
      + "score) on a Spark standalone cluster of this machine, one one-core worker versus two; "
      + "writes the spark fields of DIR/bench.json. Needs Spark on the class path.")
  boolean spark;

  @Mixin
  HelpFlag help;

  BenchCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    if ((lora ? 1 : 0) + (realShapes ? 1 : 0) + (spark ? 1 : 0) > 1) {
      throw new InvalidInputException("--lora, --real-shapes and --spark are separate runs: give one");
    }
    if (lora) {
      return loraSection();
    }
    if (realShapes) {
      return realShapes();
    }
    if (backend != null || model != null || textModel != null) {
      throw new InvalidInputException("--backend, --model and --text-model need --real-shapes");
    }
    Path models = ShapesModels.requireModelsDirectory(modelsOption);
    for (String m : List.of(ShapesModels.POLICY, ShapesModels.LABELER)) {
      if (!Files.isRegularFile(models.resolve(m).resolve("model.safetensors"))) {
        throw new InvalidInputException("no model in " + models.resolve(m) + " (pass --models DIR)");
      }
    }
    if (spark) {
      return SparkBenchSection.run(models, dir, quick, out);
    }
    int dpoSteps = quick ? 2 : 8;
    Path tmp;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempDirectory("rlaifv-bench");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    try (Progress bar = Progress.start("bench", 6)) {
      // LLaVA-shaped model: matmul, judge, sampler.
      bar.message("LLaVA-shaped judge and sampler");
      Map<String, Object> llava = DjlBench.run(quick);
      root.putAll(llava);
      double gflops = ((Number) llava.get("matmul_gflops")).doubleValue();
      bar.step();

      List<String> words = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        words.add("w" + i);
      }
      Path llavaDir = tmp.resolve("llava");
      bar.message("LLaVA-shaped DPO");
      try (LoadedVlm vlm = DjlBench.llavaShapedModel(tmp, words, 1)) {
        vlm.save(llavaDir);
        DpoBench.Result r = DpoBench.measure(vlm,
            DpoBench.syntheticPairs(16, words.size(), 27, 48, 64, 7), 4, 1, dpoSteps);
        root.put("dpo", dpo(r, gflops));
      }
      bar.step();

      bar.message("ONNX Runtime");
      Path onnxDir = tmp.resolve("llava-onnx");
      OnnxExporter.export(llavaDir, onnxDir);
      root.put("onnx", onnx(OnnxBench.run(Checkpoint.of(llavaDir), Checkpoint.of(onnxDir),
          settings(quick, 1))));
      bar.step();

      // ShapesWorld models.
      bar.message("ShapesWorld judge and sampler");
      Map<String, Object> shapes = new LinkedHashMap<>();
      shapes.put("matmul_gflops", gflops);
      List<String> shapesWords = ShapesModels.vocabulary(ShapesWorld.defaults());
      try (LoadedVlm policy = LoadedVlm.load(models.resolve(ShapesModels.POLICY), Device.cpu());
          LoadedVlm labeler = LoadedVlm.load(models.resolve(ShapesModels.LABELER), Device.cpu())) {
        shapes.put("policy_parameters", policy.model().parameterCount());
        shapes.put("labeler_parameters", labeler.model().parameterCount());
        shapes.putAll(DjlBench.measure(policy, labeler, new DjlBench.Workload(
            shapesWords, 4, 8, 8, 4, 40, quick ? 1 : 4, quick ? 2 : 3)));
        bar.step();
        bar.message("ShapesWorld DPO");
        DpoBench.Result r = DpoBench.measure(policy,
            DpoBench.syntheticPairs(32, 40, 4, 30, 32, 7), 8, 1, dpoSteps);
        shapes.put("dpo", dpo(r, gflops));
      }
      bar.step();
      bar.message("ShapesWorld ONNX Runtime");
      Path shapesOnnx = tmp.resolve("shapes-onnx");
      // The labeler is the frozen model ONNX Runtime serves in every iteration (the policy has
      // the same architecture, so the sampler figure holds for it too).
      OnnxExporter.export(models.resolve(ShapesModels.LABELER), shapesOnnx);
      shapes.put("onnx", onnx(OnnxBench.run(Checkpoint.of(models.resolve(ShapesModels.LABELER)),
          Checkpoint.of(shapesOnnx),
          settings(quick, OnnxBench.Settings.defaults().judgePasses()))));
      bar.step();
      root.put("shapesworld", shapes);
    } finally {
      deleteTree(tmp);
    }
    Path file = dir.resolve("bench.json");
    try {
      JSON.writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    out.printf(Locale.ROOT, "bench: matmul %.1f GFLOP/s; LLaVA-shaped judge speed-up %s, sampler"
        + " speed-up %s; wrote %s%n", ((Number) root.get("matmul_gflops")).doubleValue(),
        nested(root, "judge", "speedup"), nested(root, "sampler", "speedup"), file);
    return 0;
  }

  /** {@code --lora}: trainable parameters, AdamW state, peak RSS and pairs/s, full vs LoRA. */
  private int loraSection() {
    Path file = dir.resolve("bench-lora.json");
    Map<String, Object> r = LoraBench.run(file, quick ? 1 : 2);
    out.printf(Locale.ROOT, "bench --lora: optimizer state %.2f%% of full, peak RSS %.0f%% lower,"
        + " %.2fx pairs/s; wrote %s%n", 100 * (Double) r.get("optimizer_state_ratio"),
        100 * (Double) r.get("peak_rss_reduction"), (Double) r.get("speedup"), file);
    return 0;
  }

  /** Runs the real-shapes section and merges it into DIR/bench.json. */
  private int realShapes() {
    int t = threads != null ? threads : org.rlaifv.djl.Devices.DEFAULT_THREADS;
    if (t < 1) {
      throw new InvalidInputException("--threads must be positive, got " + t);
    }
    if (backend != null && !RealShapesBench.BACKENDS.contains(backend)) {
      throw new InvalidInputException(
          "--backend must be one of " + RealShapesBench.BACKENDS + ", got " + backend);
    }
    RealShapesBench.Workload w = RealShapesBench.Workload.of(quick, t);
    Path cacheDir = cache != null ? cache
        : Path.of(System.getProperty("java.io.tmpdir"), "rlaifv-real-shapes");
    Map<String, Object> section;
    try {
      Files.createDirectories(dir);
      if (backend == null) {
        Path work = Files.createTempDirectory("rlaifv-real-shapes-run");
        try {
          section = RealShapesBench.runAll(w, cacheDir, work);
        } finally {
          deleteTree(work);
        }
      } else {
        section = new LinkedHashMap<>();
        section.put(backend, RealShapesBench.measureOne(backend, w, cacheDir, model, textModel));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    Path file = dir.resolve("bench.json");
    Map<String, Object> root = new LinkedHashMap<>();
    try {
      if (Files.isRegularFile(file)) {
        @SuppressWarnings("unchecked")
        Map<String, Object> old = JSON.readValue(file.toFile(), Map.class);
        root.putAll(old);
      }
      root.put("real_shapes", section);
      JSON.writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    StringBuilder sb = new StringBuilder("bench --real-shapes:");
    for (String b : RealShapesBench.BACKENDS) {
      if (section.get(b) instanceof Map<?, ?> m) {
        sb.append(String.format(Locale.ROOT, " %s prefill %s s (MFU %s), judge %s claims/s,"
            + " sampler %s tokens/s (bandwidth fraction %s), text %s tokens/s, peak RSS %s MB;",
            b, num(m.get("prefill_s")), num(m.get("prefill_mfu")),
            num(m.get("judge_claims_per_s")), num(m.get("sampler_tokens_per_s")),
            num(m.get("decode_bandwidth_fraction")), num(m.get("text_tokens_per_s")),
            num(m.get("peak_rss_mb"))));
      }
    }
    out.println(sb.append(" wrote ").append(file));
    return 0;
  }

  private static String num(Object x) {
    return x instanceof Number n ? String.format(Locale.ROOT, "%.3g", n.doubleValue()) : "n/a";
  }

  /** The ONNX workload; {@code judgePasses} is lowered for the slow LLaVA-shaped judge. */
  private static OnnxBench.Settings settings(boolean quick, int judgePasses) {
    OnnxBench.Settings d = OnnxBench.Settings.defaults();
    return quick
        ? new OnnxBench.Settings(1, 1, 1, 1, d.claimsPerImage(), d.samplesPerPrompt(),
            d.maxNewTokens(), d.options())
        : new OnnxBench.Settings(d.images(), d.warmupImages(), d.rounds(), judgePasses,
            d.claimsPerImage(), d.samplesPerPrompt(), d.maxNewTokens(), d.options());
  }

  private static Map<String, Object> dpo(DpoBench.Result r, double matmulGflops) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pairs_per_s", r.pairsPerSecond());
    m.put("train_gflops", r.trainGflops());
    m.put("mfu", matmulGflops > 0 ? r.trainGflops() / matmulGflops : 0);
    m.put("parameters", r.parameters());
    m.put("batch_pairs", r.batchPairs());
    m.put("steps", r.steps());
    return m;
  }

  /** Nests the flat {@code onnx.x} names under {@code onnx}. */
  private static Map<String, Object> onnx(Map<String, Double> flat) {
    Map<String, Object> m = new LinkedHashMap<>();
    flat.forEach((k, v) -> m.put(k.startsWith("onnx.") ? k.substring(5) : k, v));
    return m;
  }

  private static Object nested(Map<String, Object> root, String a, String b) {
    Object x = root.get(a);
    if (x instanceof Map<?, ?> m && m.get(b) instanceof Number n) {
      return String.format(Locale.ROOT, "%.2fx", n.doubleValue());
    }
    return "n/a";
  }

  private static void deleteTree(Path dir) {
    try {
      MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE);
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }
}
