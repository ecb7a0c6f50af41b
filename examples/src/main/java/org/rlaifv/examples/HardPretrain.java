package org.rlaifv.examples;

import ai.djl.Device;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.rlaifv.core.shapes.HardMetrics;
import org.rlaifv.core.shapes.PolarExample;
import org.rlaifv.core.shapes.ShapesMetrics;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.TokenizerFiles;
import org.rlaifv.djl.train.SftExample;
import org.rlaifv.examples.PretrainCommand.Plan;
import org.rlaifv.examples.shapes.PolicyEvaluation;
import org.rlaifv.examples.shapes.ShapesModels;

/**
 * {@code pretrain --world hard}: trains the hard world's multitask policy and its labelers.
 *
 * <ol>
 *   <li>The policy, from scratch: SFT on flawed captions ({@link
 *       org.rlaifv.core.shapes.HardCorpus#captionExample}), then a multitask phase where most
 *       examples are yes/no questions with their true answers and the rest flawed captions, so the
 *       policy keeps its flaws and can judge claims itself.
 *   <li>The labeler, from the policy's weights: questions with a share of clean captions. Its
 *       quality is a setting: every {@value #PROBE_EVERY} steps it answers {@value #PROBE}
 *       validation hard questions, and the first checkpoint reaching each quality target is saved
 *       as {@link ShapesModels#hardLabelerAtQuality(int)}; the last one as {@link
 *       ShapesModels#HARD_LABELER}.
 * </ol>
 *
 * Everything is measured on held-out test scenes at the end.
 */
final class HardPretrain {

  static final Plan POLICY = new Plan(800, 128, 2e-3, 40_000);
  static final Plan MULTITASK = new Plan(300, 128, 1e-3, 30_000);
  static final Plan LABELER = new Plan(500, 128, 1e-3, 40_000);
  static final Plan QUICK = new Plan(20, 16, 2e-3, 400);

  /** Share of yes/no questions in the policy's multitask phase. */
  static final double MULTITASK_QUESTION_SHARE = 0.8;

  /** Share of clean captions in the labeler's training mix. */
  static final double LABELER_CAPTION_SHARE = 0.0;

  /** Labeler quality targets (validation accuracy, percent) saved as their own checkpoints. */
  static final List<Integer> QUALITY_TARGETS = List.of(75, 85);

  static final int PROBE = 240;
  static final int PROBE_EVERY = 25;

  private final PrintStream out;
  private final long seed;
  private final boolean quick;

  HardPretrain(PrintStream out, long seed, boolean quick) {
    this.out = out;
    this.seed = seed;
    this.quick = quick;
  }

  /**
   * Trains the chosen phases and measures what was trained.
   *
   * @param dir the models directory
   * @param captions whether to train the policy's caption phase (from scratch)
   * @param multitask whether to train the policy's multitask phase (from DIR's policy)
   * @param labeler whether to train the labeler (from DIR's policy)
   */
  void run(Path dir, boolean captions, boolean multitask, boolean labeler) {
    boolean policy = captions || multitask;
    long t0 = System.nanoTime();
    ShapesWorld world = ShapesWorld.hard();
    Path tokenizer;
    try {
      Files.createDirectories(dir);
      tokenizer = Files.createTempFile(dir, "tokenizer", ".json");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to models directory " + dir, e);
    }
    Path policyDir = dir.resolve(ShapesModels.HARD_POLICY);
    Path labelerDir = dir.resolve(ShapesModels.HARD_LABELER);
    try {
      int vocab = TokenizerFiles.writeWordLevel(tokenizer, ShapesModels.vocabulary(world));
      out.printf(Locale.ROOT, "pretrain (hard world): vocabulary %d tokens, seed %d, into %s%n",
          vocab, seed, dir);
      double policySeconds = 0;
      if (captions) {
        Plan p1 = quick ? QUICK : POLICY;
        List<SftExample> data = new ArrayList<>(p1.examples());
        for (int i = 0; i < p1.examples(); i++) {
          data.add(sft(world.hardCorpus().captionExample(Split.TRAIN, seed, i)));
        }
        policySeconds += PretrainCommand.train("hard policy (captions)",
            ShapesModels.policyConfig(vocab), seed, tokenizer, data, p1, null, policyDir, out);
      }
      if (multitask) {
        Plan p2 = quick ? QUICK : MULTITASK;
        List<SftExample> mixed = new ArrayList<>(p2.examples());
        for (int i = 0; i < p2.examples(); i++) {
          mixed.add(sft(world.hardCorpus().policyExample(Split.TRAIN, seed + 1, i,
              MULTITASK_QUESTION_SHARE)));
        }
        policySeconds += PretrainCommand.train("hard policy (multitask)", null, seed + 1,
            tokenizer, mixed, p2, policyDir, policyDir, out);
      }
      double labelerSeconds = 0;
      TreeMap<Integer, Long> saved = new TreeMap<>();
      if (labeler) {
        Plan p3 = quick ? QUICK : LABELER;
        List<SftExample> data = new ArrayList<>(p3.examples());
        for (int i = 0; i < p3.examples(); i++) {
          data.add(sft(world.hardCorpus().labelerExample(Split.TRAIN, seed + 2, i,
              LABELER_CAPTION_SHARE)));
        }
        List<PolarExample> probe =
            world.hardQuestions(Split.VALIDATION, seed + 3, quick ? 24 : PROBE);
        int every = quick ? 10 : PROBE_EVERY;
        labelerSeconds = PretrainCommand.train("hard labeler", null, seed + 2, tokenizer, data, p3,
            policyDir, labelerDir, out, (vlm, m) -> {
              if (m.step() % every != 0 || saved.size() == QUALITY_TARGETS.size()) {
                return;
              }
              double acc = PolicyEvaluation.judgeAccuracy(vlm, probe, null).accuracy();
              for (int q : QUALITY_TARGETS) {
                if (!saved.containsKey(q) && acc * 100 >= q) {
                  vlm.save(dir.resolve(ShapesModels.hardLabelerAtQuality(q)));
                  saved.put(q, m.step());
                  out.printf(Locale.ROOT, "pretrain: labeler at step %d: validation accuracy "
                      + "%.3f, saved as %s%n", m.step(), acc, ShapesModels.hardLabelerAtQuality(q));
                }
              }
            });
      }
      summary(world, dir, policy, labeler, policySeconds, labelerSeconds, saved, t0);
    } finally {
      try {
        Files.deleteIfExists(tokenizer);
      } catch (IOException e) {
        // a stray temporary file is harmless
      }
    }
  }

  private void summary(ShapesWorld world, Path dir, boolean policy, boolean labeler,
      double policySeconds, double labelerSeconds, TreeMap<Integer, Long> saved, long t0) {
    int nHard = quick ? 48 : 480;
    int nTest = quick ? 24 : 200;
    List<PolarExample> hard = world.hardQuestions(Split.TEST, DemoCommand.TEST_SEED, nHard);
    out.printf(Locale.ROOT, "%npretrain summary, hard world (seed %d)%n", seed);
    if (policy) {
      try (LoadedVlm vlm = LoadedVlm.load(dir.resolve(ShapesModels.HARD_POLICY), Device.cpu())) {
        HardMetrics.Report r = world.evaluateHard(PolicyEvaluation.generate(vlm,
            world.prompts(Split.TEST, nTest, DemoCommand.TEST_SEED), "policy greedy test",
            ShapesModels.HARD_MAX_NEW_TOKENS));
        ShapesMetrics.LabelerAgreement self = PolicyEvaluation.judgeAccuracy(vlm, hard, null);
        out.printf(Locale.ROOT, "  policy : %.0f s; greedy on %d test scenes: CHAIR_i %.3f, "
                + "CHAIR_s %.3f, count %.3f, attribute %.3f, relation %.3f, coverage %.3f, "
                + "%.1f words; as a judge: %.3f on %d hard test questions%n", policySeconds,
            nTest, r.chairI(), r.chairS(), r.errorRate(org.rlaifv.core.shapes.ErrorKind.COUNT),
            r.errorRate(org.rlaifv.core.shapes.ErrorKind.ATTRIBUTE),
            r.errorRate(org.rlaifv.core.shapes.ErrorKind.RELATION), r.coverage(), r.meanWords(),
            self.accuracy(), self.n());
      }
    }
    if (labeler) {
      List<String> names = new ArrayList<>();
      for (int q : saved.keySet()) {
        names.add(ShapesModels.hardLabelerAtQuality(q));
      }
      names.add(ShapesModels.HARD_LABELER);
      for (String name : names) {
        try (LoadedVlm vlm = LoadedVlm.load(dir.resolve(name), Device.cpu())) {
          ShapesMetrics.LabelerAgreement a = PolicyEvaluation.judgeAccuracy(vlm, hard, null);
          out.printf(Locale.ROOT, "  %-24s: accuracy %.3f (balanced %.3f) on %d hard test "
              + "questions%n", name, a.accuracy(), a.balancedAccuracy(), a.n());
        }
      }
      out.printf(Locale.ROOT, "  labeler training: %.0f s; quality checkpoints at steps %s%n",
          labelerSeconds, saved);
    }
    out.printf(Locale.ROOT, "  saved under %s; total %.0f s%n", dir,
        (System.nanoTime() - t0) / 1e9);
  }

  private static SftExample sft(org.rlaifv.core.shapes.TrainingExample e) {
    return new SftExample(e.image(), e.prompt(), e.target());
  }
}
