package org.rlaifv.djl.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.DpoConfig;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.LoraConfig;
import org.rlaifv.LrSchedule;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;
import org.rlaifv.djl.model.KeyLayout;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.LoraAdapter;
import org.rlaifv.core.hf.PromptFormat;
import org.rlaifv.djl.model.TeacherForcing;
import org.rlaifv.djl.model.TeacherForcingBatch;
import org.rlaifv.djl.model.TokenizerFiles;
import org.rlaifv.djl.model.VlmConfig;

/**
 * Measures DPO training throughput on a model: {@code dpo.pairs_per_s} (preference pairs per second
 * through full optimizer steps) and {@code dpo.train_gflops} (model FLOPs per second, in GFLOP/s).
 *
 * <p>A measured step is exactly the trainer's: chosen and rejected of {@code batchPairs} pairs in
 * one batch, forward, DPO loss against reference log-probs (computed once, untimed, as in training),
 * backward, global-norm clipping and a fused AdamW update. Model FLOPs per step are {@code 3 x} the
 * forward FLOPs of every row (forward plus a backward of twice its cost), counting each matmul as
 * {@code 2 m n k}: vision encoder and projector per image, per decoder layer {@code 2 T (2 H^2 + 2 H
 * kv + 3 H I) + 4 T^2 H} (projections, MLP, and attention scores and values over the full square),
 * and the LM head {@code 2 R H V} over the {@code R} target positions (response and end token; the
 * trainer projects only those), where {@code T} is a row's real (unpadded) length with the image
 * tokens. {@code dpo.mfu} is this figure over a measured matmul rate.
 *
 * <pre>{@code
 * DpoBench.Result r = DpoBench.measure(vlm, pairs, 8, 2, 10);
 * double pairsPerSecond = r.pairsPerSecond();
 * }</pre>
 *
 * <p>Trains the given model in place (pass a throwaway copy). Not thread-safe.
 */
public final class DpoBench {
  private DpoBench() {}

  /**
   * The measured figures.
   *
   * @param parameters trainable parameters of the model
   * @param batchPairs pairs per step
   * @param steps measured optimizer steps
   * @param seconds wall time of the measured steps
   * @param rowsTokensPerStep mean real tokens (image positions included) over the 2B rows of a step
   * @param flopsPerStep mean model FLOPs of one step
   * @param pairsPerSecond pairs per second
   * @param trainGflops model GFLOP/s
   */
  public record Result(
      long parameters,
      int batchPairs,
      int steps,
      double seconds,
      double rowsTokensPerStep,
      double flopsPerStep,
      double pairsPerSecond,
      double trainGflops) {

    /**
     * Returns the figures under their bench names.
     *
     * @return {@code dpo.pairs_per_s} and {@code dpo.train_gflops}
     */
    public Map<String, Double> figures() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("dpo.pairs_per_s", pairsPerSecond);
      m.put("dpo.train_gflops", trainGflops);
      return m;
    }
  }

  /**
   * Measures DPO steps over the pairs, cycling through them in order.
   *
   * @param policy the model to train (updated in place)
   * @param pairs the pairs, at least {@code batchPairs}
   * @param batchPairs pairs per step, &gt;= 1
   * @param warmupSteps untimed steps first, &gt;= 0
   * @param steps timed steps, &gt;= 1
   * @return the figures
   * @throws InvalidInputException when an argument is out of range
   */
  public static Result measure(
      LoadedVlm policy, List<PreferencePair> pairs, int batchPairs, int warmupSteps, int steps) {
    return measure(policy, pairs, batchPairs, warmupSteps, steps, null);
  }

  /**
   * Measures DPO steps as {@link #measure(LoadedVlm, List, int, int, int)} does, training LoRA
   * adapters on the frozen model when {@code lora} is set (as {@link DjlDpoTrainer} does: only the
   * adapters have gradients and AdamW state; the adapter stays attached afterwards). {@link
   * Result#parameters()} is then the adapters' parameter count.
   *
   * @param policy the model to train (updated in place)
   * @param pairs the pairs, at least {@code batchPairs}
   * @param batchPairs pairs per step, &gt;= 1
   * @param warmupSteps untimed steps first, &gt;= 0
   * @param steps timed steps, &gt;= 1
   * @param lora the adapters to train, or null to train every parameter
   * @return the figures
   * @throws InvalidInputException when an argument is out of range
   */
  public static Result measure(LoadedVlm policy, List<PreferencePair> pairs, int batchPairs,
      int warmupSteps, int steps, LoraConfig lora) {
    if (batchPairs < 1 || pairs.size() < batchPairs || warmupSteps < 0 || steps < 1) {
      throw new InvalidInputException(
          "bench needs 1 <= batchPairs <= pairs, warmup >= 0, steps >= 1; got "
              + batchPairs + ", " + pairs.size() + ", " + warmupSteps + ", " + steps);
    }
    DpoConfig cfg = DpoConfig.builder().learningRate(1e-5).schedule(LrSchedule.CONSTANT).build();
    // Reference log-probs of the starting policy, once, untimed (as the trainer's cached pass).
    List<DpoStep.PairRow> rows = new ArrayList<>(pairs.size());
    double[] rowFlops = new double[pairs.size()];
    double[] rowTokens = new double[pairs.size()];
    VlmConfig c = policy.model().config();
    try (NoGrad noGrad = new NoGrad()) {
      for (int i = 0; i < pairs.size(); i++) {
        PreferencePair p = pairs.get(i);
        String chosen = p.chosen().response().text();
        String rejected = p.rejected().response().text();
        float[] ref = sequenceLogps(policy, p.prompt(), List.of(chosen, rejected));
        rows.add(new DpoStep.PairRow(p.prompt().image(), p.prompt().text(), chosen, rejected,
            ref[0], ref[1]));
        int[] tc = rowLengths(policy, p.prompt().text(), chosen);
        int[] tr = rowLengths(policy, p.prompt().text(), rejected);
        rowFlops[i] = trainFlops(c, tc[0], tc[1]) + trainFlops(c, tr[0], tr[1]);
        rowTokens[i] = tc[0] + tr[0];
      }
    }
    Map<String, NDArray> params = policy.model().parameters();
    if (lora != null) {
      LoraAdapter adapter = LoraAdapter.create(
          policy.model(), lora, KeyLayout.ORIGINAL, 0);
      policy.model().attachAdapter(adapter);
      adapter.setTraining(true);
      params = adapter.parameters();
    }
    for (NDArray a : params.values()) {
      a.setRequiresGradient(true);
    }
    DpoStep step = new DpoStep(policy, cfg);
    double flops = 0;
    double tokens = 0;
    long t0 = 0;
    int cursor = 0;
    try (AdamW opt = new AdamW(params, cfg.weightDecay())) {
      for (int s = 0; s < warmupSteps + steps; s++) {
        if (s == warmupSteps) {
          t0 = System.nanoTime();
        }
        List<DpoStep.PairRow> batch = new ArrayList<>(batchPairs);
        for (int j = 0; j < batchPairs; j++) {
          int i = (cursor + j) % rows.size();
          batch.add(rows.get(i));
          if (s >= warmupSteps) {
            flops += rowFlops[i];
            tokens += rowTokens[i];
          }
        }
        cursor = (cursor + batchPairs) % rows.size();
        step.run(batch, 1, new MetricMeans());
        double norm = Gradients.globalNorm(params.values());
        opt.step(cfg.learningRate(), Gradients.clipFactor(norm, cfg.maxGradNorm()));
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Result(
        params.values().stream().mapToLong(a -> a.getShape().size()).sum(),
        batchPairs,
        steps,
        seconds,
        tokens / steps / (2.0 * batchPairs),
        flops / steps,
        (double) steps * batchPairs / seconds,
        flops / seconds / 1e9);
  }

  private static float[] sequenceLogps(LoadedVlm vlm, Prompt prompt, List<String> texts) {
    try (NDManager sm = vlm.model().manager().newSubManager();
        NDScope scope = new NDScope()) {
      int n = texts.size();
      TeacherForcingBatch b =
          TeacherForcing.batch(vlm, sm, java.util.Collections.nCopies(n, prompt.image()),
              java.util.Collections.nCopies(n, prompt.text()), texts);
      return ResponseLogProbs.tokenLogProbs(vlm, b).sum(new int[] {1}).toFloatArray();
    }
  }

  /**
   * Real decoder length of one row (prompt with expanded image, response, end token) and its
   * number of target positions (response and end token).
   */
  private static int[] rowLengths(LoadedVlm vlm, String prompt, String response) {
    long[] promptIds = vlm.promptIds(prompt);
    long[] resp = TeacherForcing.responseIds(vlm, prompt, promptIds, response);
    return new int[] {vlm.expandedLength(promptIds) + resp.length + 1, resp.length + 1};
  }

  /**
   * Returns the model FLOPs of one forward pass over one sequence with one image.
   *
   * @param c the model configuration
   * @param length the sequence length, image tokens included
   * @param headPositions positions projected to the vocabulary (the target positions: response
   *     tokens and end token)
   * @return FLOPs (a multiply-add counts 2)
   */
  public static double forwardFlops(VlmConfig c, int length, int headPositions) {
    VlmConfig.VisionConfig v = c.visionConfig();
    double p = v.numPatches();
    double hv = v.hiddenSize();
    double vision =
        2 * p * 3.0 * v.patchSize() * v.patchSize() * hv
            + c.visionLayersUsed() * (2 * p * (4 * hv * hv + 2 * hv * v.intermediateSize()) + 4 * p * p * hv)
            + 2 * p * (hv * c.hiddenSize() + (double) c.hiddenSize() * c.hiddenSize());
    double h = c.hiddenSize();
    double kv = (double) c.numKeyValueHeads() * c.headDim();
    double t = length;
    double decoder =
        c.numHiddenLayers() * (2 * t * (2 * h * h + 2 * h * kv + 3 * h * c.intermediateSize()) + 4 * t * t * h)
            + 2.0 * headPositions * h * c.vocabSize();
    return vision + decoder;
  }

  /**
   * Returns the model FLOPs of one training pass (forward and backward) over one sequence.
   *
   * @param c the model configuration
   * @param length the sequence length, image tokens included
   * @param headPositions positions projected to the vocabulary
   * @return {@code 3 * forwardFlops(c, length, headPositions)}
   */
  public static double trainFlops(VlmConfig c, int length, int headPositions) {
    return 3 * forwardFlops(c, length, headPositions);
  }

  /**
   * Measures a model on synthetic pairs of random vocabulary words and returns the bench figures:
   * what the {@code bench} command reports (with {@code dpo.mfu} = {@code dpo.train_gflops} /
   * {@code matmul_gflops} measured in the same run).
   *
   * @param policy the model (trained in place; pass a throwaway)
   * @param words words its tokenizer knows, used to build prompts and responses
   * @param batchPairs pairs per step, &gt;= 1
   * @param promptWords words per prompt
   * @param responseWords words per response
   * @param steps timed steps (after 2 untimed ones)
   * @return {@code dpo.pairs_per_s} and {@code dpo.train_gflops}
   */
  public static Map<String, Double> figures(
      LoadedVlm policy,
      List<String> words,
      int batchPairs,
      int promptWords,
      int responseWords,
      int steps) {
    int side = policy.model().config().visionConfig().imageSize();
    List<PreferencePair> pairs =
        syntheticPairs(words, 2 * batchPairs, promptWords, responseWords, side, 7);
    return measure(policy, pairs, batchPairs, 2, steps).figures();
  }

  /**
   * Returns synthetic pairs of random words from the vocabulary {@code w0, w1, ...,
   * w(vocabularyWords - 1)} (words a tokenizer lacks become its unknown token).
   *
   * @param n number of pairs
   * @param vocabularyWords number of distinct words, &gt;= 1
   * @param promptWords words per prompt, &gt;= 1
   * @param responseWords words per response
   * @param imageSize side of the random images
   * @param seed the seed
   * @return the pairs
   */
  public static List<PreferencePair> syntheticPairs(
      int n, int vocabularyWords, int promptWords, int responseWords, int imageSize, long seed) {
    List<String> words = new ArrayList<>(vocabularyWords);
    for (int i = 0; i < vocabularyWords; i++) {
      words.add("w" + i);
    }
    return syntheticPairs(words, n, promptWords, responseWords, imageSize, seed);
  }

  /**
   * Returns synthetic pairs: random images, prompts and responses of random words.
   *
   * @param words the vocabulary to draw from, not empty
   * @param n number of pairs
   * @param promptWords words per prompt, &gt;= 1
   * @param responseWords words per response
   * @param imageSize side of the random images
   * @param seed the seed
   * @return the pairs
   */
  public static List<PreferencePair> syntheticPairs(
      List<String> words, int n, int promptWords, int responseWords, int imageSize, long seed) {
    if (words.isEmpty() || promptWords < 1) {
      throw new InvalidInputException("synthetic pairs need words and at least one prompt word");
    }
    Random rnd = new Random(seed);
    List<PreferencePair> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] px = new byte[imageSize * imageSize * 3];
      rnd.nextBytes(px);
      Prompt prompt = new Prompt("bench" + i, new Image(imageSize, imageSize, px),
          words(rnd, words, promptWords));
      Response a = new Response(prompt.id(), 0, words(rnd, words, responseWords), 2L * i, 0);
      Response b = new Response(prompt.id(), 1, words(rnd, words, responseWords), 2L * i + 1, 0);
      out.add(new PreferencePair(prompt, new ScoredResponse(a, List.<ClaimVerdict>of()),
          new ScoredResponse(b, List.<ClaimVerdict>of())));
    }
    return out;
  }

  private static String words(Random rnd, List<String> vocabulary, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(vocabulary.get(rnd.nextInt(vocabulary.size())));
    }
    return sb.toString();
  }

  /**
   * Benchmarks a randomly initialised model of a preset shape and writes the figures as JSON.
   *
   * <p>Arguments: {@code <preset> <out.json> [steps]}. Presets: {@code shapesworld} (32x32 images,
   * 4 image tokens, width 128, 4 layers, ~30-word responses, 8 pairs per step) and {@code
   * llava-small} (256 image tokens, 32-token prompt, 48-word responses, width 256, 4 layers, 4 pairs
   * per step).
   *
   * @param args preset, output file, optional number of timed steps
   * @throws IOException when the output cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new InvalidInputException("usage: DpoBench <shapesworld|llava-small> <out.json> [steps]");
    }
    String preset = args[0];
    Path outFile = Path.of(args[1]);
    int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    Path tmp = Files.createTempDirectory("dpo-bench");
    Path tok = tmp.resolve("tokenizer.json");
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      words.add("w" + i);
    }
    List<String> vocab = new ArrayList<>(words);
    vocab.addAll(List.of("USER", ":", "ASSISTANT"));
    int v = TokenizerFiles.writeWordLevel(tok, vocab);
    VlmConfig cfg;
    int promptWords;
    int responseWords;
    int batch;
    int image;
    switch (preset) {
      case "shapesworld" -> {
        cfg = VlmConfig.of(128, 4, 4, 4, 256, v, 256, VlmConfig.VisionConfig.of(32, 16, 64, 2, 4, 128));
        promptWords = 4;
        responseWords = 30;
        batch = 8;
        image = 32;
      }
      case "llava-small" -> {
        cfg = VlmConfig.of(256, 4, 8, 8, 688, v, 512, VlmConfig.VisionConfig.of(64, 4, 128, 2, 4, 512));
        promptWords = 27; // + template and BOS = 32 text positions
        responseWords = 48;
        batch = 4;
        image = 64;
      }
      default -> throw new InvalidInputException("unknown preset " + preset);
    }
    Result r;
    try (LoadedVlm vlm = LoadedVlm.create(cfg, 1, tok, PromptFormat.defaults(), Device.cpu())) {
      List<PreferencePair> pairs = syntheticPairs(words, 4 * batch, promptWords, responseWords, image, 7);
      r = measure(vlm, pairs, batch, 2, steps);
    } finally {
      org.rlaifv.core.io.AtomicFiles.deleteRecursively(tmp);
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("preset", preset);
    root.put("parameters", r.parameters());
    root.put("batch_pairs", r.batchPairs());
    root.put("steps", r.steps());
    root.put("seconds", r.seconds());
    root.put("row_tokens", r.rowsTokensPerStep());
    root.put("flops_per_step", r.flopsPerStep());
    root.put("threads", ai.djl.pytorch.jni.JniUtils.getNumThreads());
    r.figures().forEach(root::put);
    try {
      Files.write(outFile, json.writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + outFile, e);
    }
  }
}
