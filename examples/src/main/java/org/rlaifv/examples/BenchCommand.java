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
 * <pre>{@code
 * java -jar examples/target/rlaifv.jar bench --out runs/bench [--quick]
 * }</pre>
 */
@Command(name = "bench", sortOptions = false,
    description = {"Measures judge, sampler, DPO and ONNX Runtime throughput on a LLaVA-shaped "
        + "model and on the ShapesWorld models; writes DIR/bench.json.", ""})
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
