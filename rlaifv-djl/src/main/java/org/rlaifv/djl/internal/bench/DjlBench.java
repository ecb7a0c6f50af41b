package org.rlaifv.djl.internal.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
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
import java.util.Random;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.SamplingParams;
import org.rlaifv.djl.DjlPolarJudge;
import org.rlaifv.djl.DjlResponseSampler;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.core.hf.PromptFormat;
import org.rlaifv.djl.model.TokenizerFiles;
import org.rlaifv.djl.model.VlmConfig;
import org.rlaifv.spi.BackendOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the DJL backend's throughput: fp32 matmul GFLOP/s, prefix-cached polar judging
 * against one full forward per question, and shared-prefill sampling against a full prefill per
 * sample. Results are JSON-ready maps (numbers, strings and nested maps).
 *
 * <p>The default workload is a LLaVA-shaped model at small width: 256 image tokens, a 32-token
 * prompt prefix, polar questions of about 12 tokens, 8 responses x 4 claims per image, 48-token
 * responses. It is a benchmark, not a test: a full run takes minutes.
 *
 * <pre>{@code
 * Map<String, Object> figures = DjlBench.run(false);
 * // {"matmul_gflops": .., "judge": {"claims_per_s_cached": .., ...}, "sampler": {...}, ...}
 * }</pre>
 */
public final class DjlBench {
  private static final Logger LOG = LoggerFactory.getLogger(DjlBench.class);

  private DjlBench() {}

  /**
   * The shape of the measured work.
   *
   * @param words vocabulary words used to make prompt and question text
   * @param promptWords words in the sampler's prompt
   * @param questionWords words per polar question (before the answer instruction)
   * @param responses responses per image (also the sampler's n)
   * @param claimsPerResponse claims judged per response
   * @param responseTokens new tokens per sampled response
   * @param images images measured
   * @param rounds timed rounds per path; the fastest round is reported
   */
  public record Workload(
      List<String> words,
      int promptWords,
      int questionWords,
      int responses,
      int claimsPerResponse,
      int responseTokens,
      int images,
      int rounds) {
    /** Copies the word list and checks the counts. */
    public Workload {
      words = List.copyOf(words);
      if (words.isEmpty() || promptWords < 1 || questionWords < 1 || responses < 1
          || claimsPerResponse < 1 || responseTokens < 1 || images < 1 || rounds < 1) {
        throw new IllegalArgumentException("workload sizes must be positive and words non-empty");
      }
    }

    /**
     * Returns the LLaVA-shaped workload: 8 responses x 4 claims, ~12-token questions, 48-token
     * responses; 2 images and best of 3 rounds (1 image, 2 rounds in quick mode).
     *
     * @param words vocabulary words
     * @param quick fewer images
     * @return the workload
     */
    public static Workload llava(List<String> words, boolean quick) {
      return new Workload(words, 4, 4, 8, 4, 48, quick ? 1 : 2, quick ? 2 : 3);
    }
  }

  /**
   * Runs the whole benchmark on a freshly initialised LLaVA-shaped model (written to a temp
   * directory that is deleted afterwards).
   *
   * @param quick a shorter run (smaller matmul, one image)
   * @return the figures: {@code matmul_gflops}, {@code judge.*}, {@code sampler.*}, {@code model},
   *     {@code engine}, {@code intra_op_threads}, {@code quick}
   */
  public static Map<String, Object> run(boolean quick) {
    Path dir;
    try {
      dir = Files.createTempDirectory("rlaifv-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("quick", quick);
      out.put("engine", Engine.getEngine("PyTorch").getEngineName() + " " + Engine.getEngine("PyTorch").getVersion());
      out.put("intra_op_threads", System.getProperty("ai.djl.pytorch.num_threads", "engine default"));
      out.put("matmul_gflops", matmulGflops(quick));
      List<String> words = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        words.add("w" + i);
      }
      try (LoadedVlm vlm = llavaShapedModel(dir, words, 1)) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("parameters", vlm.model().parameterCount());
        model.put("image_tokens", vlm.model().config().numImageTokens());
        model.put("prompt_prefix_tokens", vlm.imageIndex(vlm.promptIds("x")));
        model.put("config", vlm.model().config().toJson().toString());
        out.put("model", model);
        out.putAll(measure(vlm, vlm, Workload.llava(words, quick)));
      }
      return out;
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Creates the LLaVA-shaped benchmark model: 64x64 images in 4x4 patches (256 image tokens), a
   * 2-layer 128-wide vision encoder, a 4-layer 256-wide decoder, and a template whose text before
   * the question is 32 tokens (BOS, a 29-word system line, "USER:").
   *
   * @param dir where the tokenizer is written
   * @param words vocabulary words besides the template's
   * @param seed initialisation seed
   * @return the model, closed by the caller
   */
  public static LoadedVlm llavaShapedModel(Path dir, List<String> words, long seed) {
    List<String> vocab = new ArrayList<>(words);
    vocab.addAll(List.of("USER", ":", "ASSISTANT", "Please", "answer", "yes", "Yes", "no", "No",
        "or", ".", "?", "describe", "the", "image", "system"));
    Path tok = dir.resolve("tokenizer.json");
    int size = TokenizerFiles.writeWordLevel(tok, vocab);
    VlmConfig cfg =
        VlmConfig.of(256, 4, 8, 8, 688, size, 1024, VlmConfig.VisionConfig.of(64, 4, 128, 2, 4, 512));
    String system = String.join(" ", java.util.Collections.nCopies(29, "system"));
    PromptFormat fmt = PromptFormat.withTemplate(system + " USER: <image> {prompt} ASSISTANT:");
    return LoadedVlm.create(cfg, seed, tok, fmt, Device.cpu());
  }

  /**
   * Measures fp32 matrix multiplication throughput through DJL.
   *
   * @param quick 512x512 instead of 1024x1024
   * @return GFLOP/s
   */
  public static double matmulGflops(boolean quick) {
    return matmulGflops(quick ? 512 : 1024, quick ? 5 : 10);
  }

  /**
   * Measures fp32 matrix multiplication throughput through DJL with the engine's current thread
   * count: two warm-up products of two {@code n x n} matrices, then {@code reps} timed ones.
   *
   * @param n the matrix side
   * @param reps timed products
   * @return GFLOP/s
   */
  public static double matmulGflops(int n, int reps) {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
      NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
      for (int i = 0; i < 2; i++) {
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0);
        }
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0);
        }
      }
      double s = (System.nanoTime() - t0) / 1e9;
      return 2.0 * n * n * n * reps / s / 1e9;
    }
  }

  /**
   * Measures fp32 throughput of the product a decode step makes with a weight: {@code rows x k}
   * activations through a linear layer of an {@code n x k} weight (as the decoder applies its
   * weights), best of {@code reps} after two warm-ups. With a weight larger than the caches (the
   * vocabulary projection, say) the figure includes streaming the weight from memory, as a decode
   * step does.
   *
   * @param rows activation rows (sequences decoded together)
   * @param k the inner dimension
   * @param n the weight's output width
   * @param reps timed products
   * @return GFLOP/s
   */
  public static double weightMatmulGflops(int rows, int k, int n, int reps) {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray x = m.randomUniform(-1, 1, new Shape(rows, k));
      NDArray w = m.randomUniform(-1, 1, new Shape(n, k));
      double best = Double.MAX_VALUE;
      for (int i = -2; i < reps; i++) {
        long t0 = System.nanoTime();
        try (NDArray y = Linear.linear(x, w).singletonOrThrow()) {
          y.getFloat(0, 0);
        }
        double t = (System.nanoTime() - t0) / 1e9;
        if (i >= 0) {
          best = Math.min(best, t);
        }
      }
      return 2.0 * rows * k * n / best / 1e9;
    }
  }

  /**
   * Measures memory read bandwidth through DJL: the sum of a float32 array far larger than the
   * caches, best of {@code reps} after one warm-up.
   *
   * @param floats the array's length
   * @param reps timed sums
   * @return GB/s (10^9 bytes per second)
   */
  public static double readBandwidthGbs(long floats, int reps) {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      NDArray a = m.ones(new Shape(floats));
      double best = Double.MAX_VALUE;
      for (int i = 0; i <= reps; i++) {
        long t0 = System.nanoTime();
        try (NDArray s = a.sum()) {
          s.getFloat();
        }
        double t = (System.nanoTime() - t0) / 1e9;
        if (i > 0) {
          best = Math.min(best, t);
        }
      }
      return 4.0 * floats / best / 1e9;
    }
  }

  /**
   * Measures judging and sampling on given models.
   *
   * @param policy the model sampled from
   * @param labeler the model judging
   * @param w the workload
   * @return {@code judge} and {@code sampler} maps
   */
  public static Map<String, Object> measure(LoadedVlm policy, LoadedVlm labeler, Workload w) {
    Random rng = new Random(7);
    int side = labeler.model().config().visionConfig().imageSize();
    List<Image> images = new ArrayList<>();
    for (int i = 0; i < w.images(); i++) {
      byte[] px = new byte[side * side * 3];
      rng.nextBytes(px);
      images.add(new Image(side, side, px));
    }
    List<List<PolarQuestion>> questions = new ArrayList<>();
    for (int i = 0; i < w.images(); i++) {
      List<PolarQuestion> qs = new ArrayList<>();
      for (int q = 0; q < w.responses() * w.claimsPerResponse(); q++) {
        String text = words(w, rng, w.questionWords()) + " ?";
        qs.add(new PolarQuestion(new Claim(text), text));
      }
      questions.add(qs);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    BackendOptions opts = BackendOptions.defaults();
    try (DjlPolarJudge judge = new DjlPolarJudge(labeler, opts, false)) {
      judge.judge(images.get(0), questions.get(0)); // warm-up
      judge.judgeEachFromScratch(images.get(0), questions.get(0).subList(0, 4));
      long claims = 0;
      for (List<PolarQuestion> qs : questions) {
        claims += qs.size();
      }
      double maxDiff = 0;
      double tCached = Double.MAX_VALUE;
      double tNaive = Double.MAX_VALUE;
      // Best of several rounds, alternating the two paths, so that load from other processes on a
      // shared machine biases neither.
      for (int round = 0; round < w.rounds(); round++) {
        long t0 = System.nanoTime();
        List<List<ClaimVerdict>> cached = new ArrayList<>();
        for (int i = 0; i < w.images(); i++) {
          cached.add(judge.judge(images.get(i), questions.get(i)));
        }
        tCached = Math.min(tCached, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        for (int i = 0; i < w.images(); i++) {
          List<ClaimVerdict> naive = judge.judgeEachFromScratch(images.get(i), questions.get(i));
          for (int q = 0; q < naive.size(); q++) {
            maxDiff = Math.max(maxDiff, Math.abs(naive.get(q).pYes() - cached.get(i).get(q).pYes()));
            maxDiff = Math.max(maxDiff, Math.abs(naive.get(q).pNo() - cached.get(i).get(q).pNo()));
          }
        }
        tNaive = Math.min(tNaive, (System.nanoTime() - t0) / 1e9);
      }
      Map<String, Object> j = new LinkedHashMap<>();
      j.put("claims", claims);
      j.put("claims_per_s_cached", claims / tCached);
      j.put("claims_per_s_naive", claims / tNaive);
      j.put("speedup", tNaive / tCached);
      j.put("max_abs_prob_diff", maxDiff);
      j.put("question_tokens", labeler.promptIds(DjlPolarJudge.questionText(questions.get(0).get(0))).length
          - labeler.imageIndex(labeler.promptIds("x")) - 1);
      out.put("judge", j);
      LOG.info("judge: {}", j);
    }
    try (DjlResponseSampler sampler = new DjlResponseSampler(policy, opts, false)) {
      SamplingParams params = SamplingParams.builder().n(w.responses()).temperature(1.0)
          .maxNewTokens(w.responseTokens()).baseSeed(11).build();
      List<Prompt> prompts = new ArrayList<>();
      for (int i = 0; i < w.images(); i++) {
        prompts.add(new Prompt("bench-" + i, images.get(i), words(w, rng, w.promptWords())));
      }
      sampler.sample(prompts.get(0), params.toBuilder().n(2).maxNewTokens(4).build()); // warm-up
      long tokens = 0;
      long naiveTokens = 0;
      int mismatches = 0;
      double tShared = Double.MAX_VALUE;
      double tNaive = Double.MAX_VALUE;
      for (int round = 0; round < w.rounds(); round++) {
        tokens = 0;
        long t0 = System.nanoTime();
        List<List<Response>> shared = new ArrayList<>();
        for (Prompt p : prompts) {
          List<Response> rs = sampler.sample(p, params);
          shared.add(rs);
          tokens += rs.stream().mapToLong(Response::tokenCount).sum();
        }
        tShared = Math.min(tShared, (System.nanoTime() - t0) / 1e9);
        naiveTokens = 0;
        mismatches = 0;
        t0 = System.nanoTime();
        for (int i = 0; i < prompts.size(); i++) {
          List<Response> rs = sampler.sampleWithoutSharing(prompts.get(i), params);
          naiveTokens += rs.stream().mapToLong(Response::tokenCount).sum();
          for (int k = 0; k < rs.size(); k++) {
            mismatches += rs.get(k).equals(shared.get(i).get(k)) ? 0 : 1;
          }
        }
        tNaive = Math.min(tNaive, (System.nanoTime() - t0) / 1e9);
      }
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("n", w.responses());
      s.put("prompts", prompts.size());
      s.put("tokens", tokens);
      s.put("tokens_per_s_shared_prefill", tokens / tShared);
      s.put("tokens_per_s_naive", naiveTokens / tNaive);
      s.put("speedup", (tokens / tShared) / (naiveTokens / tNaive));
      s.put("samples_differing_from_naive", mismatches);
      out.put("sampler", s);
      LOG.info("sampler: {}", s);
    }
    return out;
  }

  private static String words(Workload w, Random rng, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      sb.append(i == 0 ? "" : " ").append(w.words().get(rng.nextInt(w.words().size())));
    }
    return sb.toString();
  }

  private static void deleteTree(Path dir) {
    try {
      MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE);
    } catch (IOException e) {
      LOG.warn("cannot delete {}: {}", dir, e.toString());
    }
  }
}
