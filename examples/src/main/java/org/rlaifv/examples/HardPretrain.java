package org.rlaifv.examples;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.rlaifv.core.shapes.HardMetrics;
import org.rlaifv.Seeds;
import org.rlaifv.core.shapes.PolarExample;
import org.rlaifv.core.shapes.QuestionKind;
import org.rlaifv.core.shapes.ShapesMetrics;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;
import org.rlaifv.core.shapes.TrainingExample;
import org.rlaifv.InvalidInputException;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.VlmConfig;
import org.rlaifv.djl.model.TokenizerFiles;
import org.rlaifv.djl.train.SftExample;
import org.rlaifv.examples.PretrainCommand.Plan;
import org.rlaifv.examples.shapes.PolicyEvaluation;
import org.rlaifv.examples.shapes.ShapesModels;

/**
 * {@code pretrain --world hard}: trains the hard world's multitask policy and its labelers.
 *
 * <ol>
 *   <li>The caption phase, from scratch: SFT on flawed captions ({@link
 *       org.rlaifv.core.shapes.HardCorpus#captionExample}).
 *   <li>The labeler, from the policy's weights: yes/no questions (the balanced stream and the
 *       hard set's rotation, or drawn by kind, {@link #questionByKind}), optionally with a share
 *       of clean captions. Its quality is a setting:
 *       every {@value #PROBE_EVERY} steps it answers {@value #PROBE} validation hard questions, and
 *       the first checkpoint reaching each quality target is saved as {@link
 *       ShapesModels#hardLabelerAtQuality(int)}; the last one as {@link ShapesModels#HARD_LABELER}.
 *   <li>The relation phase: the labeler {@link #deepen deepened} to {@link #RELATION_LAYERS}
 *       decoder layers and trained on its mix with half relation questions, which a 3-layer
 *       decoder does not learn to answer.
 *   <li>The policy's multitask phase: mostly yes/no questions with their true answers and the
 *       rest flawed captions, so the policy captions with the corpus's flaws and can judge claims
 *       itself. By default ({@link Recipe#multitaskFromLabeler()}) it runs after the labeler,
 *       from the labeler's weights; otherwise it runs before the labeler, from the caption
 *       phase's policy, and the labeler starts from the multitask policy.
 * </ol>
 *
 * Everything is measured on held-out test scenes at the end.
 */
final class HardPretrain {

  static final Plan POLICY = new Plan(1600, 128, 2e-3, 40_000);
  static final Plan MULTITASK = new Plan(400, 128, 5e-4, 30_000);
  static final Plan LABELER = new Plan(3000, 128, 1e-3, 40_000);
  static final Plan QUICK = new Plan(20, 16, 2e-3, 400);

  /** Share of yes/no questions in the policy's multitask phase. */
  static final double MULTITASK_QUESTION_SHARE = 0.8;

  /** Share of clean captions in the labeler's training mix. */
  static final double LABELER_CAPTION_SHARE = 0.2;

  /** Labeler quality targets (validation accuracy, percent) saved as their own checkpoints. */
  static final List<Integer> QUALITY_TARGETS = List.of(75, 85);

  static final int PROBE = 240;
  static final int PROBE_EVERY = 25;

  /** Once every quality checkpoint is saved, the probe runs this many times less often. */
  static final int LOG_EVERY_AFTER = 8;

  /**
   * One run's recipe: the three phases and the two mixing shares.
   *
   * @param policy the caption phase
   * @param multitask the policy's multitask phase
   * @param labeler the labeler's phase
   * @param questionShare share of questions in the multitask phase
   * @param captionShare share of clean captions in the labeler's phase
   * @param mix how training questions are drawn
   * @param multitaskFromLabeler whether the multitask phase starts from the labeler's weights
   * @param patch the vision encoder's patch size in pixels (16: one patch per grid cell)
   * @param visionLayers the vision encoder's layers
   * @param decoderLayers the language model's layers
   * @param relationShare share of the labeler's examples that are relation questions drawn by
   *     kind ({@link #relationQuestion}); the rest are drawn as {@code captionShare} and {@code
   *     mix} say
   * @param relations the relation phase (0 steps: none): after the labeler phase, the labeler
   *     deepened to {@code relationLayers} decoder layers ({@link #deepen}) and trained on the
   *     labeler's mix with {@value #RELATION_PHASE_SHARE} relation questions
   * @param relationLayers the labeler's decoder layers in the relation phase
   */
  record Recipe(Plan policy, Plan multitask, Plan labeler, double questionShare,
      double captionShare, QuestionMix mix, boolean multitaskFromLabeler, int patch,
      int visionLayers, int decoderLayers, double relationShare, Plan relations,
      int relationLayers) {

    /** The default recipe, or the quick one. */
    static Recipe of(boolean quick) {
      return new Recipe(quick ? QUICK : POLICY, quick ? QUICK : MULTITASK,
          quick ? QUICK : LABELER, MULTITASK_QUESTION_SHARE, LABELER_CAPTION_SHARE, QUESTION_MIX,
          MULTITASK_FROM_LABELER, 16, 1, DECODER_LAYERS, LABELER_RELATION_SHARE,
          quick ? QUICK : RELATIONS, RELATION_LAYERS);
    }
  }

  /** The relation phase's plan. */
  static final Plan RELATIONS = new Plan(2000, 128, 1e-3, 40_000);

  /** The labeler's decoder layers in the relation phase. */
  static final int RELATION_LAYERS = 6;

  /** Share of relation questions in the relation phase's mix. */
  static final double RELATION_PHASE_SHARE = 0.5;

  /** The language model's layers. */
  static final int DECODER_LAYERS = 3;

  /** Share of the labeler's examples that are relation questions drawn by kind. */
  static final double LABELER_RELATION_SHARE = 0.0;

  /**
   * Whether the policy's multitask phase starts from the labeler's weights (true: the labeler is
   * trained first, from the caption phase's policy) or from the caption phase's policy (false: the
   * multitask phase runs first and the labeler starts from the multitask policy).
   */
  static final boolean MULTITASK_FROM_LABELER = true;

  /** How the training questions of the labeler and of the multitask phase are drawn. */
  enum QuestionMix {
    /** The hard set's rotation and the balanced stream, with equal odds. */
    STREAM,
    /** By kind: {@link #YES_KINDS} and {@link #NO_KINDS} ({@link #questionByKind}). */
    KINDS,
    /**
     * Half {@link org.rlaifv.core.shapes.HardCorpus#minimalPairExample minimal pairs} (the same
     * scene asked a true question and the same question with one detail changed), half {@link
     * #STREAM}; for the labeler only, the multitask phase draws as {@link #STREAM}.
     */
    PAIRS
  }

  static final QuestionMix QUESTION_MIX = QuestionMix.STREAM;

  /**
   * Weights of the kinds of yes questions when drawn by kind. Each template (object, count,
   * relation) has the same weight among yes and among no questions, so its wording gives no hint.
   */
  static final Map<QuestionKind, Double> YES_KINDS = kinds(QuestionKind.PRESENT_AT, 0.6,
      QuestionKind.COUNT, 0.15, QuestionKind.RELATION, 0.25);

  /**
   * Weights of the kinds of no questions when drawn by kind: the attribute and place negatives,
   * which a model that only checks the shape gets wrong, weigh most.
   */
  static final Map<QuestionKind, Double> NO_KINDS = kinds(QuestionKind.WRONG_COLOUR, 0.15,
      QuestionKind.WRONG_SIZE, 0.15, QuestionKind.WRONG_PLACE, 0.12, QuestionKind.WRONG_SHAPE,
      0.06, QuestionKind.PARTNER, 0.06, QuestionKind.ABSENT, 0.06, QuestionKind.WRONG_COUNT, 0.15,
      QuestionKind.WRONG_RELATION, 0.25);

  private static final long KIND_SALT = 0x4A2E_9B1DL;

  private static Map<QuestionKind, Double> kinds(Object... kindsAndWeights) {
    Map<QuestionKind, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kindsAndWeights.length; i += 2) {
      m.put((QuestionKind) kindsAndWeights[i], (Double) kindsAndWeights[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Training question {@code index} drawn by kind: yes at even and no at odd indices, the kind by
   * {@link #YES_KINDS} or {@link #NO_KINDS}.
   */
  static PolarExample questionByKind(ShapesWorld world, Split split, long seed, long index) {
    Map<QuestionKind, Double> weights = index % 2 == 0 ? YES_KINDS : NO_KINDS;
    double u = new Random(Seeds.mix(seed, KIND_SALT, split.ordinal(), index))
        .nextDouble() * weights.values().stream().mapToDouble(Double::doubleValue).sum();
    QuestionKind kind = null;
    for (Map.Entry<QuestionKind, Double> e : weights.entrySet()) {
      kind = e.getKey();
      u -= e.getValue();
      if (u < 0) {
        break;
      }
    }
    return world.hardCorpus().kindExample(split, seed, index, kind);
  }

  /** Example {@code index} of the policy's multitask mix. */
  private TrainingExample policyExample(ShapesWorld world, long seed, long index) {
    if (recipe.mix() != QuestionMix.KINDS) {
      return world.hardCorpus().policyExample(Split.TRAIN, seed, index, recipe.questionShare());
    }
    Random r = new Random(Seeds.mix(seed, KIND_SALT, index, 1));
    return r.nextDouble() < recipe.questionShare()
        ? questionByKind(world, Split.TRAIN, seed, index).toTrainingExample()
        : world.hardCorpus().captionExample(Split.TRAIN, seed, index);
  }

  /**
   * Relation question {@code index} drawn by kind: a true relation at even and a wrong one at odd
   * indices.
   */
  static PolarExample relationQuestion(ShapesWorld world, Split split, long seed, long index) {
    return world.hardCorpus().kindExample(split, Seeds.mix(seed, RELATION_SALT), index,
        index % 2 == 0 ? QuestionKind.RELATION : QuestionKind.WRONG_RELATION);
  }

  private static final long RELATION_SALT = 0x4A30_5E1AL;

  /** Example {@code index} of the labeler's mix with a share of relation questions. */
  private TrainingExample labelerExample(ShapesWorld world, long seed, long index,
      double relationShare) {
    if (relationShare > 0
        && new Random(Seeds.mix(seed, RELATION_SALT, index)).nextDouble() < relationShare) {
      return relationQuestion(world, Split.TRAIN, seed, index).toTrainingExample();
    }
    return mixedLabelerExample(world, seed, index);
  }

  /** Example {@code index} of the labeler's mix of captions and {@link #recipe}'s mix. */
  private TrainingExample mixedLabelerExample(ShapesWorld world, long seed, long index) {
    if (recipe.mix() == QuestionMix.STREAM) {
      return world.hardCorpus().labelerExample(Split.TRAIN, seed, index, recipe.captionShare());
    }
    if (recipe.mix() == QuestionMix.PAIRS) {
      // Captions are drawn per example; the rest is decided per pair of indices, so both halves
      // of a minimal pair are in the data.
      Random r = new Random(Seeds.mix(seed, KIND_SALT, index, 3));
      if (r.nextDouble() < recipe.captionShare()) {
        return world.hardCorpus().labelerExample(Split.TRAIN, seed, index, 1.0);
      }
      boolean pair = new Random(Seeds.mix(seed, KIND_SALT, index / 2, 4)).nextBoolean();
      return pair ? world.hardCorpus().minimalPairExample(Split.TRAIN, seed, index)
          .toTrainingExample()
          : world.hardCorpus().labelerExample(Split.TRAIN, seed, index, 0.0);
    }
    Random r = new Random(Seeds.mix(seed, KIND_SALT, index, 2));
    return r.nextDouble() < recipe.captionShare()
        ? world.hardCorpus().labelerExample(Split.TRAIN, seed, index, 1.0)
        : questionByKind(world, Split.TRAIN, seed, index).toTrainingExample();
  }

  private final PrintStream out;
  private final long seed;
  private final boolean quick;
  private final Recipe recipe;

  HardPretrain(PrintStream out, long seed, boolean quick) {
    this(out, seed, quick, Recipe.of(quick));
  }

  HardPretrain(PrintStream out, long seed, boolean quick, Recipe recipe) {
    this.out = out;
    this.seed = seed;
    this.quick = quick;
    this.recipe = recipe;
  }

  /**
   * Trains the chosen phases and measures what was trained.
   *
   * @param dir the models directory
   * @param captions whether to train the policy's caption phase (from scratch)
   * @param multitask whether to train the policy's multitask phase (from DIR's policy)
   * @param labeler whether to train the labeler (from DIR's policy)
   * @param relations whether to run the relation phase (from DIR's labeler, after the labeler
   *     phase when that runs too)
   */
  void run(Path dir, boolean captions, boolean multitask, boolean labeler, boolean relations) {
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
        Plan p1 = recipe.policy();
        List<SftExample> data = new ArrayList<>(p1.examples());
        for (int i = 0; i < p1.examples(); i++) {
          data.add(sft(world.hardCorpus().captionExample(Split.TRAIN, seed, i)));
        }
        policySeconds += PretrainCommand.train("hard policy (captions)",
            ShapesModels.policyConfig(vocab, recipe.patch(), recipe.visionLayers(),
                recipe.decoderLayers()), seed,
            tokenizer, data, p1, null, policyDir, out);
      }
      if (multitask && !recipe.multitaskFromLabeler()) {
        policySeconds += multitask(world, tokenizer, policyDir, policyDir);
      }
      double labelerSeconds = 0;
      TreeMap<Integer, Long> saved = new TreeMap<>();
      if (labeler) {
        Plan p3 = recipe.labeler();
        List<SftExample> data = examples(p3,
            i -> labelerExample(world, seed + 2, i, recipe.relationShare()));
        List<PolarExample> probe = probe(world);
        int every = quick ? 10 : PROBE_EVERY;
        labelerSeconds = PretrainCommand.train("hard labeler", null, seed + 2, tokenizer, data, p3,
            policyDir, labelerDir, out, (vlm, m) -> {
              boolean done = saved.size() == QUALITY_TARGETS.size();
              if (m.step() % (done ? every * LOG_EVERY_AFTER : every) != 0) {
                return;
              }
              double acc = PolicyEvaluation.judgeAccuracy(vlm, probe, null).accuracy();
              out.printf(Locale.ROOT, "pretrain: labeler at step %d: loss %.4f, validation "
                  + "accuracy %.3f%n", m.step(), m.get("loss"), acc);
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
      if (relations) {
        labelerSeconds += relations(world, tokenizer, dir, labelerDir);
      }
      if (multitask && recipe.multitaskFromLabeler()) {
        policySeconds += multitask(world, tokenizer, labelerDir, policyDir);
      }
      summary(world, dir, policy, labeler || relations, policySeconds, labelerSeconds, saved,
          t0);
    } finally {
      try {
        Files.deleteIfExists(tokenizer);
      } catch (IOException e) {
        // a stray temporary file is harmless
      }
    }
  }

  /** The plan's training examples, {@code 0..examples-1} of a stream. */
  private static List<SftExample> examples(Plan plan,
      java.util.function.LongFunction<TrainingExample> stream) {
    List<SftExample> data = new ArrayList<>(plan.examples());
    for (int i = 0; i < plan.examples(); i++) {
      data.add(sft(stream.apply(i)));
    }
    return data;
  }

  /** The validation hard questions probed during training. */
  private List<PolarExample> probe(ShapesWorld world) {
    return world.hardQuestions(Split.VALIDATION, seed + 3, quick ? 24 : PROBE);
  }

  /**
   * The relation phase: the labeler in {@code labelerDir}, deepened to {@link
   * Recipe#relationLayers()} decoder layers, trained on the labeler's mix with {@value
   * #RELATION_PHASE_SHARE} relation questions, back into {@code labelerDir}.
   */
  private double relations(ShapesWorld world, Path tokenizer, Path dir, Path labelerDir) {
    Path deeper;
    try {
      deeper = Files.createTempDirectory(dir, "deepened-labeler");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to models directory " + dir, e);
    }
    try {
      deepen(labelerDir, deeper, recipe.relationLayers(), seed + 4, tokenizer);
      Plan p4 = recipe.relations();
      List<SftExample> data = examples(p4,
          i -> labelerExample(world, seed + 4, i, RELATION_PHASE_SHARE));
      List<PolarExample> probe = probe(world);
      int every = quick ? 10 : PROBE_EVERY * LOG_EVERY_AFTER;
      return PretrainCommand.train("hard labeler (relations)", null, seed + 4, tokenizer, data,
          p4, deeper, labelerDir, out, (vlm, m) -> {
            if (m.step() % every == 0) {
              out.printf(Locale.ROOT, "pretrain: labeler (relations) at step %d: loss %.4f, "
                  + "validation accuracy %.3f%n", m.step(), m.get("loss"),
                  PolicyEvaluation.judgeAccuracy(vlm, probe, null).accuracy());
            }
          });
    } finally {
      try {
        MoreFiles.deleteRecursively(deeper, RecursiveDeleteOption.ALLOW_INSECURE);
      } catch (IOException e) {
        // a stray temporary directory is harmless
      }
    }
  }

  /**
   * Saves the model in {@code from} with its decoder deepened to {@code layers} layers: every
   * parameter of the checkpoint kept, and the new layers appended on top with the random
   * initialisation of a new model (seeded).
   *
   * @throws InvalidInputException when the checkpoint already has that many layers or more
   */
  static void deepen(Path from, Path into, int layers, long seed, Path tokenizer) {
    try (LoadedVlm old = LoadedVlm.load(from, Device.cpu())) {
      VlmConfig c = old.model().config();
      if (layers <= c.numHiddenLayers()) {
        throw new InvalidInputException(from + " has " + c.numHiddenLayers() + " decoder layers; "
            + "the relation phase needs more (--relation-layers " + layers + ")");
      }
      VlmConfig deeper = ShapesModels.policyConfig(c.vocabSize(),
          c.visionConfig().patchSize(), c.visionConfig().numHiddenLayers(), layers);
      try (LoadedVlm grown = LoadedVlm.create(deeper, seed, tokenizer, ShapesModels.FORMAT,
          Device.cpu())) {
        Map<String, NDArray> target = grown.model().parameters();
        old.model().parameters().forEach((name, a) -> a.copyTo(target.get(name)));
        grown.save(into);
      }
    }
  }

  /** The policy's multitask phase, from {@code from}'s weights into {@code policyDir}. */
  private double multitask(ShapesWorld world, Path tokenizer, Path from, Path policyDir) {
    Plan p2 = recipe.multitask();
    List<SftExample> mixed = examples(p2, i -> policyExample(world, seed + 1, i));
    List<PolarExample> probe = probe(world);
    int every = quick ? 10 : PROBE_EVERY * LOG_EVERY_AFTER;
    return PretrainCommand.train("hard policy (multitask)", null, seed + 1,
        tokenizer, mixed, p2, from, policyDir, out, (vlm, m) -> {
          if (m.step() % every == 0) {
            out.printf(Locale.ROOT, "pretrain: policy at step %d: loss %.4f, validation "
                + "accuracy as a judge %.3f%n", m.step(), m.get("loss"),
                PolicyEvaluation.judgeAccuracy(vlm, probe, null).accuracy());
          }
        });
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
        out.printf(Locale.ROOT, "    as a judge, by kind: %s%n", byKind(vlm, hard));
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
          out.printf(Locale.ROOT, "    by kind: %s%n", byKind(vlm, hard));
        }
      }
      out.printf(Locale.ROOT, "  labeler training: %.0f s; quality checkpoints at steps %s%n",
          labelerSeconds, saved);
    }
    out.printf(Locale.ROOT, "  saved under %s; total %.0f s%n", dir,
        (System.nanoTime() - t0) / 1e9);
  }

  /** Accuracy per question kind, e.g. {@code "COUNT 0.950 (40), ..."}. */
  private static String byKind(LoadedVlm vlm, List<PolarExample> questions) {
    Map<QuestionKind, List<PolarExample>> groups = new EnumMap<>(QuestionKind.class);
    for (PolarExample e : questions) {
      groups.computeIfAbsent(e.kind(), k -> new ArrayList<>()).add(e);
    }
    List<String> parts = new ArrayList<>();
    groups.forEach((kind, list) -> parts.add(String.format(Locale.ROOT, "%s %.3f (%d)", kind,
        PolicyEvaluation.judgeAccuracy(vlm, list, null).accuracy(), list.size())));
    return String.join(", ", parts);
  }

  private static SftExample sft(TrainingExample e) {
    return new SftExample(e.image(), e.prompt(), e.target());
  }
}
