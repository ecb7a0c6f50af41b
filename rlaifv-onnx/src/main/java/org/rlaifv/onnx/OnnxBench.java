package org.rlaifv.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.rlaifv.BackendException;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.spi.BackendOptions;
import org.rlaifv.spi.BackendProvider;
import org.rlaifv.spi.Backends;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures ONNX Runtime judging and sampling against the {@code djl} backend on the same model in
 * the same run, giving the figures {@code bench} reports: {@value #JUDGE_CLAIMS_PER_S}, {@value
 * #SAMPLER_TOKENS_PER_S}, {@value #JUDGE_VS_DJL} and {@value #SAMPLER_VS_DJL} (plus the DJL
 * figures they are divided by).
 *
 * <p>The judge workload per image is {@code claimsPerImage} polar questions (by default 8
 * responses x 4 claims) judged in one call; the sampler workload per prompt is {@code
 * samplesPerPrompt} samples of at most {@code maxNewTokens} tokens. Both backends see the same
 * images, questions, prompts and seeds; each is warmed up, then timed in several rounds that
 * alternate between the backends, and the best round of each is kept, so that load from other
 * processes affects both alike. The DJL side is found through the backend SPI, so {@code
 * rlaifv-djl} must be on the class path at run time.
 *
 * <p>{@link #matmulGflops} and {@link #readBandwidthGbs} measure ONNX Runtime's own matmul rate and
 * memory bandwidth with one-node graphs, the denominators of {@code bench --real-shapes}'s
 * fractions.
 *
 * <pre>{@code
 * Map<String, Double> figures =
 *     OnnxBench.run(Checkpoint.of(modelDir), Checkpoint.of(onnxDir), OnnxBench.Settings.defaults());
 * }</pre>
 */
public final class OnnxBench {
  /** ONNX Runtime judged claims per second. */
  public static final String JUDGE_CLAIMS_PER_S = "onnx.judge_claims_per_s";

  /** ONNX Runtime sampled tokens per second. */
  public static final String SAMPLER_TOKENS_PER_S = "onnx.sampler_tokens_per_s";

  /** ONNX Runtime judging throughput divided by DJL's. */
  public static final String JUDGE_VS_DJL = "onnx.judge_vs_djl";

  /** ONNX Runtime sampling throughput divided by DJL's. */
  public static final String SAMPLER_VS_DJL = "onnx.sampler_vs_djl";

  /** DJL judged claims per second, measured in the same run. */
  public static final String DJL_JUDGE_CLAIMS_PER_S = "djl.judge_claims_per_s";

  /** DJL sampled tokens per second, measured in the same run. */
  public static final String DJL_SAMPLER_TOKENS_PER_S = "djl.sampler_tokens_per_s";

  private static final Logger LOG = LoggerFactory.getLogger(OnnxBench.class);
  private static final String[] COLOURS = {"red", "green", "blue", "yellow"};
  private static final String[] SHAPES = {"circle", "square", "triangle", "cross"};
  private static final String[] PLACES = {"top left", "top right", "bottom left", "bottom right"};

  private OnnxBench() {}

  /**
   * The workload sizes.
   *
   * @param images images judged and prompts sampled in each timed round
   * @param warmupImages images run untimed first
   * @param rounds timed rounds per backend, alternating between the backends; the fastest is
   *     reported
   * @param judgePasses passes over the images in each judging round (and in the warm-up), so
   *     that a round of the fast judging path lasts long enough to time
   * @param claimsPerImage polar questions per image, judged in one call
   * @param samplesPerPrompt responses per prompt
   * @param maxNewTokens most tokens per response
   * @param options device, threads and batch size, used by both backends
   */
  public record Settings(
      int images,
      int warmupImages,
      int rounds,
      int judgePasses,
      int claimsPerImage,
      int samplesPerPrompt,
      int maxNewTokens,
      BackendOptions options) {

    /** Validates the sizes. */
    public Settings {
      Objects.requireNonNull(options, "options");
      if (images < 1 || warmupImages < 0 || rounds < 1 || judgePasses < 1 || claimsPerImage < 1
          || samplesPerPrompt < 1 || maxNewTokens < 1) {
        throw new InvalidInputException(
            "bench sizes must be positive (warm-up may be 0): images "
                + images
                + ", warm-up "
                + warmupImages
                + ", rounds "
                + rounds
                + ", judge passes "
                + judgePasses
                + ", claims "
                + claimsPerImage
                + ", samples "
                + samplesPerPrompt
                + ", tokens "
                + maxNewTokens);
      }
    }

    /**
     * Returns the default workload: 2 warm-up images, then best of 3 rounds of 4 images each
     * (judged 8 times over), 32 claims per image (8 responses x 4 claims), 8 samples of up to 48
     * tokens, one intra-op thread (tiny models are dominated by per-op overhead, not arithmetic).
     *
     * @return the defaults
     */
    public static Settings defaults() {
      return new Settings(4, 2, 3, 8, 32, 8, 48, BackendOptions.defaults().withThreads(1));
    }
  }

  /**
   * Runs the judge and sampler benchmarks on both backends.
   *
   * @param model the DJL model directory
   * @param exported the same model exported to ONNX
   * @param settings the workload
   * @return the figures by name, in a stable order
   * @throws BackendException when the {@code djl} backend is not on the class path
   */
  public static Map<String, Double> run(Checkpoint model, Checkpoint exported, Settings settings) {
    BackendProvider djl = Backends.get("djl");
    BackendOptions o = settings.options();
    List<Image> images = new ArrayList<>();
    for (int i = 0; i < settings.warmupImages() + settings.images(); i++) {
      images.add(randomImage(i));
    }
    List<PolarQuestion> questions = questions(settings.claimsPerImage());
    SamplingParams params =
        SamplingParams.builder()
            .n(settings.samplesPerPrompt())
            .temperature(1.0)
            .maxNewTokens(settings.maxNewTokens())
            .baseSeed(17)
            .build();

    double djlJudge = 0;
    double ortJudge = 0;
    try (PolarJudge d = djl.newJudge(model, o);
        PolarJudge j = OrtPolarJudge.open(exported, o)) {
      List<Image> warm = images.subList(0, settings.warmupImages());
      List<Image> timed = images.subList(settings.warmupImages(), images.size());
      int passes = settings.judgePasses();
      judgeRate(d, warm, questions, passes);
      judgeRate(j, warm, questions, passes);
      for (int r = 0; r < settings.rounds(); r++) {
        djlJudge = Math.max(djlJudge, judgeRate(d, timed, questions, passes));
        ortJudge = Math.max(ortJudge, judgeRate(j, timed, questions, passes));
      }
    }
    double djlSampler = 0;
    double ortSampler = 0;
    try (ResponseSampler d = djl.newSampler(model, o);
        ResponseSampler s = OrtResponseSampler.open(exported, o)) {
      List<Image> warm = images.subList(0, settings.warmupImages());
      List<Image> timed = images.subList(settings.warmupImages(), images.size());
      samplerRate(d, warm, params);
      samplerRate(s, warm, params);
      for (int r = 0; r < settings.rounds(); r++) {
        djlSampler = Math.max(djlSampler, samplerRate(d, timed, params));
        ortSampler = Math.max(ortSampler, samplerRate(s, timed, params));
      }
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put(JUDGE_CLAIMS_PER_S, ortJudge);
    out.put(SAMPLER_TOKENS_PER_S, ortSampler);
    out.put(JUDGE_VS_DJL, ortJudge / djlJudge);
    out.put(SAMPLER_VS_DJL, ortSampler / djlSampler);
    out.put(DJL_JUDGE_CLAIMS_PER_S, djlJudge);
    out.put(DJL_SAMPLER_TOKENS_PER_S, djlSampler);
    LOG.info("ONNX bench: {}", out);
    return out;
  }

  /**
   * Measures fp32 matrix multiplication throughput through ONNX Runtime: a one-node {@code MatMul}
   * graph of two {@code n x n} inputs in a session made with the options (threads, optimisation
   * level), two warm-up runs, then {@code reps} timed ones.
   *
   * @param n the matrix side
   * @param reps timed runs
   * @param options the session options' source
   * @return GFLOP/s
   * @throws BackendException when ONNX Runtime fails
   */
  public static double matmulGflops(int n, int reps, BackendOptions options) {
    byte[] model = TinyGraph.model("MatMul", new long[][] {{n, n}, {n, n}}, new long[] {n, n});
    double s = timeRuns(model, new long[][] {{n, n}, {n, n}}, reps, options, false);
    return 2.0 * n * n * n * reps / s / 1e9;
  }

  /**
   * Measures fp32 throughput of the product a decode step makes with a weight: {@code rows x k}
   * activations times a constant {@code k x n} weight stored in the graph (as the exported
   * decoders store theirs, so ONNX Runtime may pre-pack it), best of {@code reps} runs after two
   * warm-ups. With a weight larger than the caches (the vocabulary projection, say) the figure
   * includes streaming the weight from memory, as a decode step does.
   *
   * @param rows activation rows (sequences decoded together)
   * @param k the inner dimension
   * @param n the weight's output width
   * @param reps timed runs
   * @param options the session options' source
   * @return GFLOP/s
   * @throws BackendException when ONNX Runtime fails
   * @throws UncheckedIOException when the temporary model file cannot be written
   */
  public static double weightMatmulGflops(int rows, int k, int n, int reps,
      BackendOptions options) {
    Path file = null;
    try {
      file = Files.createTempFile("rlaifv-bench-matmul", ".onnx");
      TinyGraph.writeWeightMatMul(file, rows, k, n);
      double best = timeRuns(file, new long[][] {{rows, k}}, reps, options, true);
      return 2.0 * rows * k * n / best / 1e9;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the matmul bench model", e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          LOG.debug("cannot delete {}: {}", file, e.toString());
        }
      }
    }
  }

  /**
   * Measures memory read bandwidth through ONNX Runtime: a one-node {@code ReduceSum} graph over
   * a float32 input far larger than the caches, best of {@code reps} runs after one warm-up.
   *
   * @param floats the input's length
   * @param reps timed runs
   * @param options the session options' source
   * @return GB/s (10^9 bytes per second)
   * @throws BackendException when ONNX Runtime fails
   */
  public static double readBandwidthGbs(long floats, int reps, BackendOptions options) {
    byte[] model = TinyGraph.model("ReduceSum", new long[][] {{floats}}, new long[] {1});
    double best = timeRuns(model, new long[][] {{floats}}, reps, options, true);
    return 4.0 * floats / best / 1e9;
  }

  /** Runs a graph on constant inputs; returns the total time of the timed runs, or the best. */
  private static double timeRuns(
      byte[] model, long[][] inputs, int reps, BackendOptions options, boolean best) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = OrtOptions.create(options);
        OrtSession session = env.createSession(model, so)) {
      return timeRuns(env, session, inputs, reps, best);
    } catch (OrtException e) {
      throw new BackendException("ONNX Runtime peak measurement failed: " + e, e);
    }
  }

  /** {@link #timeRuns(byte[], long[][], int, BackendOptions, boolean)} of a model file. */
  private static double timeRuns(
      Path model, long[][] inputs, int reps, BackendOptions options, boolean best) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = OrtOptions.create(options);
        OrtSession session = env.createSession(model.toString(), so)) {
      return timeRuns(env, session, inputs, reps, best);
    } catch (OrtException e) {
      throw new BackendException("ONNX Runtime peak measurement failed: " + e, e);
    }
  }

  private static double timeRuns(
      OrtEnvironment env, OrtSession session, long[][] inputs, int reps, boolean best)
      throws OrtException {
    List<OnnxTensor> tensors = new ArrayList<>();
    try {
      Map<String, OnnxTensor> feed = new LinkedHashMap<>();
      for (int i = 0; i < inputs.length; i++) {
        long count = 1;
        for (long d : inputs[i]) {
          count *= d;
        }
        FloatBuffer buf = ByteBuffer.allocateDirect(Math.toIntExact(count * 4))
            .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int j = 0; j < count; j++) {
          buf.put(j, (j % 7) * 0.25f - 0.75f);
        }
        OnnxTensor t = OnnxTensor.createTensor(env, buf, inputs[i]);
        tensors.add(t);
        feed.put("x" + i, t);
      }
      double total = 0;
      double fastest = Double.MAX_VALUE;
      for (int i = -2; i < reps; i++) {
        long t0 = System.nanoTime();
        try (OrtSession.Result r = session.run(feed)) {
          r.get(0);
        }
        double t = (System.nanoTime() - t0) / 1e9;
        if (i >= 0) {
          total += t;
          fastest = Math.min(fastest, t);
        }
      }
      return best ? fastest : total;
    } finally {
      tensors.forEach(OnnxTensor::close);
    }
  }

  /**
   * Writes a one-node ONNX model (opset 17) in protobuf form: float inputs {@code x0, x1, ...},
   * float output {@code y}.
   */
  static final class TinyGraph {
    private TinyGraph() {}

    static byte[] model(String op, long[][] inputShapes, long[] outputShape) {
      ByteArrayOutputStream node = new ByteArrayOutputStream();
      ByteArrayOutputStream graph = new ByteArrayOutputStream();
      for (int i = 0; i < inputShapes.length; i++) {
        string(node, 1, "x" + i);
      }
      string(node, 2, "y");
      string(node, 4, op);
      bytes(graph, 1, node.toByteArray());
      string(graph, 2, "bench");
      for (int i = 0; i < inputShapes.length; i++) {
        bytes(graph, 11, valueInfo("x" + i, inputShapes[i]));
      }
      bytes(graph, 12, valueInfo("y", outputShape));
      ByteArrayOutputStream opset = new ByteArrayOutputStream();
      varintField(opset, 2, 17);
      ByteArrayOutputStream model = new ByteArrayOutputStream();
      varintField(model, 1, 8);
      string(model, 2, "rlaifv-bench");
      bytes(model, 7, graph.toByteArray());
      bytes(model, 8, opset.toByteArray());
      return model.toByteArray();
    }

    /**
     * Writes {@code y = MatMul(x0, w)} with {@code x0} a float input {@code [rows, k]} and {@code
     * w} a float initializer {@code [k, n]} of fixed values, streaming the weight's bytes.
     */
    static void writeWeightMatMul(Path file, int rows, int k, int n) throws IOException {
      ByteArrayOutputStream node = new ByteArrayOutputStream();
      string(node, 1, "x0");
      string(node, 1, "w");
      string(node, 2, "y");
      string(node, 4, "MatMul");
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      varintField(header, 1, k);
      varintField(header, 1, n);
      varintField(header, 2, 1); // FLOAT
      string(header, 8, "w");
      long raw = 4L * k * n;
      ByteArrayOutputStream rawTag = new ByteArrayOutputStream();
      varint(rawTag, 9L << 3 | 2);
      varint(rawTag, raw);
      long tensorLength = header.size() + rawTag.size() + raw;
      ByteArrayOutputStream head = new ByteArrayOutputStream(); // graph fields before the weight
      bytes(head, 1, node.toByteArray());
      string(head, 2, "bench");
      varint(head, 5L << 3 | 2);
      varint(head, tensorLength);
      head.writeBytes(header.toByteArray());
      head.writeBytes(rawTag.toByteArray());
      ByteArrayOutputStream tail = new ByteArrayOutputStream(); // graph fields after it
      bytes(tail, 11, valueInfo("x0", new long[] {rows, k}));
      bytes(tail, 12, valueInfo("y", new long[] {rows, n}));
      long graphLength = head.size() + raw + tail.size();
      ByteArrayOutputStream opset = new ByteArrayOutputStream();
      varintField(opset, 2, 17);
      ByteArrayOutputStream start = new ByteArrayOutputStream();
      varintField(start, 1, 8);
      string(start, 2, "rlaifv-bench");
      varint(start, 7L << 3 | 2);
      varint(start, graphLength);
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
        out.write(start.toByteArray());
        out.write(head.toByteArray());
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long j = 0; j < (long) k * n; j++) {
          chunk.putFloat((j % 7) * 0.25f - 0.75f);
          if (!chunk.hasRemaining()) {
            out.write(chunk.array(), 0, chunk.position());
            chunk.clear();
          }
        }
        out.write(chunk.array(), 0, chunk.position());
        out.write(tail.toByteArray());
        ByteArrayOutputStream last = new ByteArrayOutputStream();
        bytes(last, 8, opset.toByteArray());
        out.write(last.toByteArray());
      }
    }

    private static byte[] valueInfo(String name, long[] shape) {
      ByteArrayOutputStream dims = new ByteArrayOutputStream();
      for (long d : shape) {
        ByteArrayOutputStream dim = new ByteArrayOutputStream();
        varintField(dim, 1, d);
        bytes(dims, 1, dim.toByteArray());
      }
      ByteArrayOutputStream tensor = new ByteArrayOutputStream();
      varintField(tensor, 1, 1); // FLOAT
      bytes(tensor, 2, dims.toByteArray());
      ByteArrayOutputStream type = new ByteArrayOutputStream();
      bytes(type, 1, tensor.toByteArray());
      ByteArrayOutputStream info = new ByteArrayOutputStream();
      string(info, 1, name);
      bytes(info, 2, type.toByteArray());
      return info.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, int field, String s) {
      bytes(out, field, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(ByteArrayOutputStream out, int field, byte[] b) {
      varint(out, (long) field << 3 | 2);
      varint(out, b.length);
      out.writeBytes(b);
    }

    private static void varintField(ByteArrayOutputStream out, int field, long v) {
      varint(out, (long) field << 3);
      varint(out, v);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) (v & 0x7F) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
    }
  }

  private static double judgeRate(
      PolarJudge judge, List<Image> images, List<PolarQuestion> questions, int passes) {
    long start = System.nanoTime();
    long claims = 0;
    for (int p = 0; p < passes; p++) {
      for (Image image : images) {
        claims += judge.judge(image, questions).size();
      }
    }
    return claims / seconds(start);
  }

  private static double samplerRate(
      ResponseSampler sampler, List<Image> images, SamplingParams params) {
    long start = System.nanoTime();
    long tokens = 0;
    for (int i = 0; i < images.size(); i++) {
      for (Response r :
          sampler.sample(new Prompt("bench" + i, images.get(i), "describe the image."), params)) {
        tokens += r.tokenCount();
      }
    }
    return tokens / seconds(start);
  }

  private static double seconds(long startNanos) {
    return Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
  }

  /** ShapesWorld-style polar questions, about 12 tokens each. */
  static List<PolarQuestion> questions(int n) {
    List<PolarQuestion> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String q =
          "is there a "
              + COLOURS[i % 4]
              + " "
              + SHAPES[(i / 4) % 4]
              + " on the "
              + PLACES[(i / 16) % 4]
              + " ?";
      out.add(new PolarQuestion(new Claim(q), q));
    }
    return out;
  }

  private static Image randomImage(int seed) {
    byte[] rgb = new byte[32 * 32 * 3];
    new Random(seed).nextBytes(rgb);
    return new Image(32, 32, rgb);
  }
}
