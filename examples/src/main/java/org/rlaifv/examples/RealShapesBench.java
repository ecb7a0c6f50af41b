package org.rlaifv.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.rlaifv.BackendException;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.TextGenerator;
import org.rlaifv.djl.DjlPolarJudge;
import org.rlaifv.djl.export.OnnxExporter;
import org.rlaifv.djl.internal.bench.DjlBench;
import org.rlaifv.djl.internal.bench.RealShapes;
import org.rlaifv.onnx.OnnxBench;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import org.rlaifv.spi.Backends;
import org.rlaifv.spi.Capability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code bench --real-shapes} section: random weights with the shapes of {@code
 * llava-hf/llava-interleave-qwen-0.5b-hf} (see {@link RealShapes}), opened through the backend SPI
 * like any Hugging Face directory, measured on each backend in a JVM of its own so that each
 * backend's peak resident memory is its own.
 *
 * <p>Per backend, in one process: the engine's fp32 matmul rate ({@code matmul_gflops}) and memory
 * read bandwidth ({@code bandwidth_gbs}); the prefill (one image and the prompt through the judge
 * with one question, {@code prefill_s}) and its FLOP rate over the matmul rate ({@code
 * prefill_mfu}); judging 32 questions about one image ({@code judge_claims_per_s}); sampling n = 8
 * responses of one prompt ({@code sampler_tokens_per_s}) and the decode step's time against the
 * bandwidth floor ({@code decode_bandwidth_fraction} = bytes read per step / bandwidth / step
 * time, the step time being the difference of two sampler runs that differ only in length); the
 * text-only decoder's {@code TextGenerator} ({@code text_tokens_per_s}); {@code peak_rss_mb}
 * (VmHWM).
 */
final class RealShapesBench {
  private static final Logger LOG = LoggerFactory.getLogger(RealShapesBench.class);
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** glibc settings that keep freed blocks in the process instead of returning them. */
  static final String KEEP_FREED_MEMORY =
      "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=68719476736";

  /** The backends measured, in order. */
  static final List<String> BACKENDS = List.of("djl", "onnx");

  private static final String[] COLOURS = {"red", "green", "blue", "yellow"};
  private static final String[] SHAPES = {"circle", "square", "triangle", "cross"};
  private static final String[] PLACES = {"top left", "top right", "bottom left", "bottom right"};

  private RealShapesBench() {}

  /**
   * The workload of one run.
   *
   * @param spec the model's shapes
   * @param quick toy shapes and short runs
   * @param threads intra-op threads of both engines
   * @param questions polar questions judged about one image
   * @param samples responses sampled per prompt
   * @param shortTokens new tokens of the shorter sampler run
   * @param longTokens new tokens of the longer (reported) sampler run
   * @param textPrompts prompts of the text generator's batch
   * @param textTokens new tokens per text prompt
   * @param rounds timed repetitions of the prefill and judge (the best is kept)
   * @param samplerRounds timed repetitions of each sampler run (the best is kept)
   * @param matmulSide side of the matmul peak's square matrices
   * @param bandwidthFloats length of the bandwidth measurement's array
   */
  record Workload(RealShapes.Spec spec, boolean quick, int threads, int questions, int samples,
      int shortTokens, int longTokens, int textPrompts, int textTokens, int rounds,
      int samplerRounds, int matmulSide, long bandwidthFloats) {

    static Workload of(boolean quick, int threads) {
      return quick
          ? new Workload(RealShapes.quick(), true, threads, 32, 8, 2, 18, 2, 8, 3, 3, 512,
              1L << 24)
          : new Workload(RealShapes.full(), false, threads, 32, 8, 4, 36, 4, 32, 2, 1, 2048,
              1L << 26);
    }
  }

  /**
   * Runs every backend, each in a child JVM, and returns {@code {"djl": {...}, "onnx": {...}}}
   * plus the shared description of the model and workload.
   *
   * @param w the workload
   * @param cache where the model directories (and the ONNX export) are kept between runs
   * @param work a scratch directory for the children's outputs
   * @return the section's figures
   */
  static Map<String, Object> runAll(Workload w, Path cache, Path work) {
    RealShapes.Spec spec = w.spec();
    Map<String, Object> section = new LinkedHashMap<>();
    section.put("model", spec.name());
    section.put("quick", w.quick());
    section.put("threads", w.threads());
    for (String backend : BACKENDS) {
      Map<String, Object> figures;
      try {
        Dirs d = prepare(backend, w, cache);
        figures = runChild(backend, w, d, work);
      } catch (RuntimeException e) {
        // recorded, so that one backend's failure (an export the exporter refuses, say) still
        // leaves the other's figures
        LOG.warn("{} half of the real-shapes bench did not run: {}", backend, e.getMessage());
        figures = new LinkedHashMap<>();
        figures.put("unavailable", e.getMessage());
      }
      section.put(backend, figures);
    }
    return section;
  }

  /**
   * Measures one backend in this JVM, on given directories or on ones written (and exported)
   * into the cache.
   *
   * @param backend {@code djl} or {@code onnx}
   * @param w the workload
   * @param cache where generated directories are kept
   * @param model the model directory, or null to generate it
   * @param text the text-only model directory, or null (generated when {@code model} is)
   * @return the figures
   */
  static Map<String, Object> measureOne(
      String backend, Workload w, Path cache, Path model, Path text) {
    Dirs d = model != null ? new Dirs(model, text) : prepare(backend, w, cache);
    Map<String, Object> f = measure(backend, w, d.model(), d.text());
    if (model == null) {
      // this JVM also wrote (and for ONNX exported) the models: its peak is not the backend's
      f.put("peak_rss_includes_setup", true);
    }
    return f;
  }

  /** The directories one backend opens; {@code text} is null when the backend has none. */
  private record Dirs(Path model, Path text) {}

  /** Writes the models of the workload's spec (once) and, for ONNX, exports them (once). */
  private static Dirs prepare(String backend, Workload w, Path cache) {
    RealShapes.Spec spec = w.spec();
    Path base = cache.resolve(spec.name());
    long t0 = System.nanoTime();
    Path vlm = RealShapes.writeVlm(spec, base.resolve("vlm"));
    Path text = RealShapes.writeTextLm(spec, base.resolve("text"));
    LOG.info("real-shapes models ready in {} ({} s)", base, fmt(seconds(t0)));
    if (!backend.equals("onnx")) {
      return new Dirs(vlm, text);
    }
    return new Dirs(export(vlm, base.resolve("vlm-onnx")),
        exportOrNull(text, base.resolve("text-onnx")));
  }

  /** Exports a directory to ONNX once; a finished export is marked and reused. */
  private static Path export(Path model, Path out) {
    Path marker = out.resolve(RealShapes.MARKER);
    try {
      byte[] want = Files.readAllBytes(model.resolve(RealShapes.MARKER));
      if (Files.isRegularFile(marker) && Arrays.equals(Files.readAllBytes(marker), want)) {
        return out;
      }
      long t0 = System.nanoTime();
      OnnxExporter.export(model, out);
      Files.write(marker, want);
      LOG.info("exported {} to ONNX in {} s", model, fmt(seconds(t0)));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot export " + model + " to " + out, e);
    }
  }

  private static Path exportOrNull(Path model, Path out) {
    try {
      return export(model, out);
    } catch (RuntimeException e) {
      LOG.warn("the text-only model does not export to ONNX: {}", e.getMessage());
      return null;
    }
  }

  /** Runs one backend's measurements in a fresh JVM and reads its figures. */
  private static Map<String, Object> runChild(String backend, Workload w, Dirs dirs, Path work) {
    Path out = work.resolve("real-shapes-" + backend);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx3g");
    // weights are read through direct buffers, whose limit defaults to the heap's
    cmd.add("-XX:MaxDirectMemorySize=8g");
    cmd.add("-Dai.djl.pytorch.num_threads=" + w.threads());
    cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
    for (String p : List.of("ai.djl.offline", "org.slf4j.simpleLogger.defaultLogLevel")) {
      if (System.getProperty(p) != null) {
        cmd.add("-D" + p + "=" + System.getProperty(p));
      }
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of("bench", "--real-shapes", "--backend", backend, "--threads",
        Integer.toString(w.threads()), "--model", dirs.model().toString(), "--out", out.toString()));
    if (dirs.text() != null) {
      cmd.addAll(List.of("--text-model", dirs.text().toString()));
    }
    if (w.quick()) {
      cmd.add("--quick");
    }
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("OMP_NUM_THREADS", Integer.toString(w.threads()));
    // freed tensors stay in the process for reuse instead of page-faulting back in (see
    // docs/backends.md, "Memory allocator"); a value the caller set wins
    pb.environment().putIfAbsent("GLIBC_TUNABLES", KEEP_FREED_MEMORY);
    LOG.info("measuring {} in a child JVM", backend);
    try {
      Process p = pb.start();
      if (!p.waitFor(2, TimeUnit.HOURS)) {
        p.destroyForcibly();
        throw new BackendException("the " + backend + " bench did not finish within 2 hours");
      }
      if (p.exitValue() != 0) {
        throw new BackendException(
            "the " + backend + " bench exited with status " + p.exitValue() + " (see above)");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> child = JSON.readValue(out.resolve("bench.json").toFile(), Map.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> section = (Map<String, Object>) child.get("real_shapes");
      @SuppressWarnings("unchecked")
      Map<String, Object> figures = (Map<String, Object>) section.get(backend);
      return figures;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run the " + backend + " bench", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException("interrupted while the " + backend + " bench ran", e);
    }
  }

  /**
   * Measures one backend in this JVM.
   *
   * @param backend {@code djl} or {@code onnx}
   * @param w the workload
   * @param model the LLaVA directory (an ONNX export for {@code onnx})
   * @param text the text-only model's directory, or null when the backend has none
   * @return the figures
   */
  static Map<String, Object> measure(String backend, Workload w, Path model, Path text) {
    RealShapes.Spec spec = w.spec();
    BackendProvider provider = Backends.get(backend);
    BackendOptions opts = BackendOptions.defaults().withThreads(w.threads());
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("engine_threads", w.threads());
    // other processes on the machine: the figures of a loaded machine are lower bounds
    f.put("load_average_start", loadAverage());

    // The engine's own peaks, in this process, measured before and after the workload: the
    // better of the two is the peak (a peak taken while other processes load the machine would
    // understate it and overstate every fraction below).
    if (backend.equals("djl")) {
      // the roles below apply the same count through the SPI; set it before measuring
      org.rlaifv.djl.Devices.applyThreads(w.threads());
    }
    double[] peaks = peaks(backend, w, opts);
    LOG.info("{}: matmul {} GFLOP/s, read bandwidth {} GB/s", backend, fmt(peaks[0]),
        fmt(peaks[1]));

    int side = spec.vlm().visionConfig().imageSize();
    Image image = randomImage(side, 1);
    List<PolarQuestion> questions = questions(w.questions());
    int imageTokens = spec.vlm().numImageTokens();
    int prefillTokens = RealShapes.promptTokens(model, imageTokens,
        DjlPolarJudge.questionText(questions.get(0)));
    double prefillFlops = RealShapes.prefillFlops(spec.vlm(), prefillTokens);
    try (PolarJudge judge = provider.newJudge(Checkpoint.of(model), opts)) {
      List<PolarQuestion> one = questions.subList(0, 1);
      judge.judge(image, one); // warm-up
      double prefill = Double.MAX_VALUE;
      for (int r = 0; r < w.rounds(); r++) {
        long t0 = System.nanoTime();
        judge.judge(image, one);
        prefill = Math.min(prefill, seconds(t0));
      }
      f.put("prefill_s", prefill);
      f.put("prefill_tokens", prefillTokens);
      f.put("prefill_gflop", prefillFlops / 1e9);
      LOG.info("{}: prefill of {} positions {} s", backend, prefillTokens, fmt(prefill));
      double judgeS = Double.MAX_VALUE;
      for (int r = 0; r < w.rounds(); r++) {
        long t0 = System.nanoTime();
        judge.judge(image, questions);
        judgeS = Math.min(judgeS, seconds(t0));
      }
      f.put("judge_questions", questions.size());
      f.put("judge_claims_per_s", questions.size() / judgeS);
      LOG.info("{}: judged {} questions in {} s", backend, questions.size(), fmt(judgeS));
    }

    String promptText = "Describe the image in detail.";
    int samplerPrefix = RealShapes.promptTokens(model, imageTokens, promptText);
    try (ResponseSampler sampler = provider.newSampler(Checkpoint.of(model), opts)) {
      Prompt prompt = new Prompt("real-shapes", image, promptText);
      SamplingParams shortRun = SamplingParams.builder().n(w.samples()).temperature(1.0)
          .maxNewTokens(w.shortTokens()).baseSeed(11).build();
      SamplingParams longRun = shortRun.toBuilder().maxNewTokens(w.longTokens()).build();
      sampler.sample(prompt, shortRun); // warm-up
      long shortTokens = 0;
      long longTokens = 0;
      double tShort = Double.MAX_VALUE;
      double tLong = Double.MAX_VALUE;
      // the two lengths alternate, best of each, so that load from other processes biases
      // neither
      for (int r = 0; r < w.samplerRounds(); r++) {
        long t0 = System.nanoTime();
        shortTokens = tokens(sampler.sample(prompt, shortRun));
        tShort = Math.min(tShort, seconds(t0));
        t0 = System.nanoTime();
        longTokens = tokens(sampler.sample(prompt, longRun));
        tLong = Math.min(tLong, seconds(t0));
      }
      int steps = w.longTokens() - w.shortTokens();
      double step = (tLong - tShort) / steps;
      double bytes = RealShapes.decodeStepBytes(spec.vlm(), w.samples(), samplerPrefix,
          (w.shortTokens() + w.longTokens()) / 2.0);
      f.put("sampler_n", w.samples());
      f.put("sampler_tokens", longTokens);
      f.put("sampler_tokens_per_s", longTokens / tLong);
      f.put("decode_step_s", step);
      f.put("decode_step_bytes_gb", bytes / 1e9);
      f.put("sampler_full_length", longTokens == (long) w.samples() * w.longTokens()
          && shortTokens == (long) w.samples() * w.shortTokens());
      LOG.info("{}: sampled {} tokens in {} s; decode step {} s", backend, longTokens,
          fmt(tLong), fmt(step));
    }

    if (text != null && provider.hasCapability(Capability.TEXT_GENERATION)) {
      SamplingParams decoding = SamplingParams.builder().n(1).temperature(1.0)
          .maxNewTokens(w.textTokens()).baseSeed(5).build();
      try (TextGenerator gen = provider.newTextGenerator(Checkpoint.of(text), opts, decoding)) {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < w.textPrompts(); i++) {
          prompts.add("Split the following text into atomic facts . Text : the picture shows a "
              + COLOURS[i % 4] + " car next to a tree and two dogs sitting on the "
              + PLACES[i % 4] + " of the " + SHAPES[i % 4] + " .");
        }
        gen.generateAll(prompts.subList(0, 1)); // warm-up
        long t0 = System.nanoTime();
        List<String> outs = gen.generateAll(prompts);
        double t = seconds(t0);
        long generated = 0;
        for (String o : outs) {
          generated += o.isBlank() ? 0 : RealShapes.textTokens(text, o);
        }
        f.put("text_prompts", prompts.size());
        f.put("text_tokens", generated);
        f.put("text_tokens_per_s", generated / t);
        LOG.info("{}: generated {} tokens in {} s", backend, generated, fmt(t));
      }
    } else {
      f.put("text_unavailable", text == null
          ? "the text-only model was not exported for this backend"
          : "the " + backend + " backend has no TEXT_GENERATION capability");
    }
    double[] after = peaks(backend, w, opts);
    // The engine's rate for the decode step's largest product (8 rows through the vocabulary
    // projection's weight, which does not fit in the caches), to set beside the step's own rate.
    int vocab = spec.vlm().vocabSize();
    int hidden = spec.vlm().hiddenSize();
    double rowsRate = backend.equals("onnx")
        ? OnnxBench.weightMatmulGflops(w.samples(), hidden, vocab, 3, opts)
        : DjlBench.weightMatmulGflops(w.samples(), hidden, vocab, 3);
    LOG.info("{}: {}-row product with a {} x {} weight {} GFLOP/s", backend, w.samples(), hidden,
        vocab, fmt(rowsRate));
    double stepFlops = RealShapes.decodeStepFlops(spec.vlm(), w.samples(), samplerPrefix,
        (w.shortTokens() + w.longTokens()) / 2.0);
    double gflops = Math.max(peaks[0], after[0]);
    double gbs = Math.max(peaks[1], after[1]);
    f.put("matmul_gflops", gflops);
    f.put("bandwidth_gbs", gbs);
    f.put("matmul_gflops_start_end", List.of(peaks[0], after[0]));
    f.put("bandwidth_gbs_start_end", List.of(peaks[1], after[1]));
    f.put("prefill_mfu", prefillFlops / (double) f.get("prefill_s") / 1e9 / gflops);
    double floor = (double) f.get("decode_step_bytes_gb") / gbs;
    f.put("decode_floor_s", floor);
    f.put("decode_bandwidth_fraction", floor / (double) f.get("decode_step_s"));
    f.put("decode_step_gflop", stepFlops / 1e9);
    f.put("rows_matmul_gflops", rowsRate);
    f.put("decode_rate_gflops", stepFlops / 1e9 / (double) f.get("decode_step_s"));
    f.put("peak_rss_mb", peakRssMb());
    f.put("load_average_end", loadAverage());
    return f;
  }

  /** The engine's matmul GFLOP/s and read GB/s, measured now. */
  private static double[] peaks(String backend, Workload w, BackendOptions opts) {
    int reps = w.quick() ? 5 : 8;
    if (backend.equals("onnx")) {
      return new double[] {OnnxBench.matmulGflops(w.matmulSide(), reps, opts),
          OnnxBench.readBandwidthGbs(w.bandwidthFloats(), 5, opts)};
    }
    return new double[] {DjlBench.matmulGflops(w.matmulSide(), reps),
        DjlBench.readBandwidthGbs(w.bandwidthFloats(), 5)};
  }

  /** The one-minute load average, or -1 where /proc is absent. */
  private static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Peak resident set size of this process in MiB (VmHWM), or -1 where /proc is absent. */
  static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          String[] parts = line.trim().split("\\s+");
          return Long.parseLong(parts[1]) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("no /proc/self/status: {}", e.toString());
    }
    return -1;
  }

  private static long tokens(List<Response> rs) {
    return rs.stream().mapToLong(Response::tokenCount).sum();
  }

  private static List<PolarQuestion> questions(int n) {
    List<PolarQuestion> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String q = "is there a " + COLOURS[i % 4] + " " + SHAPES[(i / 4) % 4] + " on the "
          + PLACES[(i / 16) % 4] + " ?";
      out.add(new PolarQuestion(new Claim(q), q));
    }
    return out;
  }

  private static Image randomImage(int side, long seed) {
    byte[] rgb = new byte[side * side * 3];
    new Random(seed).nextBytes(rgb);
    return new Image(side, side, rgb);
  }

  private static double seconds(long startNanos) {
    return Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
  }

  private static String fmt(double x) {
    return String.format(Locale.ROOT, "%.3f", x);
  }
}
