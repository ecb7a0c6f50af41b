package org.rlaifv.examples;

import ai.djl.Device;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.rlaifv.InvalidInputException;
import org.rlaifv.LrSchedule;
import org.rlaifv.TrainingListener;
import org.rlaifv.TrainingMetrics;
import org.rlaifv.core.shapes.PolarExample;
import org.rlaifv.core.shapes.ShapesMetrics;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;
import org.rlaifv.core.shapes.TrainingExample;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.TokenizerFiles;
import org.rlaifv.djl.model.VlmConfig;
import org.rlaifv.djl.train.DjlSftTrainer;
import org.rlaifv.djl.train.SftConfig;
import org.rlaifv.djl.train.SftExample;
import org.rlaifv.examples.shapes.PolicyEvaluation;
import org.rlaifv.examples.shapes.ShapesModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pretrain}: trains the ShapesWorld policy from scratch (SFT on the flawed caption corpus),
 * then the labeler from the policy's weights (polar questions with a share of clean captions, then
 * the hard questions of training scenes), and saves both in the Hugging Face
 * layout under {@code --out} (default {@code examples/models}), then measures them.
 *
 * <pre>{@code
 * java -jar examples/target/rlaifv.jar pretrain --out examples/models --seed 0
 * }</pre>
 */
@Command(name = "pretrain", sortOptions = false,
    description = {"Trains the ShapesWorld policy from scratch (SFT on the flawed caption corpus) "
        + "and the labeler from the policy's weights, saves both under DIR and measures them "
        + "(about 15 minutes on 2 cores).", ""})
final class PretrainCommand implements Callable<Integer> {

  /** Steps, batch, learning rate and distinct examples of one model's training. */
  record Plan(int steps, int batch, double lr, int examples) {}

  static final Plan POLICY = new Plan(1500, 64, 2e-3, 24_000);
  static final Plan LABELER = new Plan(2400, 64, 1e-3, 48_000);
  static final Plan POLICY_QUICK = new Plan(60, 32, 2e-3, 2_000);
  static final Plan LABELER_QUICK = new Plan(60, 32, 1e-3, 2_000);
  static final Plan LABELER_HARD = new Plan(3000, 64, 3e-4, 24_000);
  static final Plan LABELER_HARD_QUICK = new Plan(20, 32, 3e-4, 1_000);

  /**
   * Share of clean captions in the labeler's fine-tuning mix (the rest are polar questions). The
   * SFT loss is a mean over all target tokens of a batch, so a 2-token answer weighs little next
   * to a 30-token caption: a small share keeps the questions' signal strong.
   */
  static final double LABELER_CAPTION_SHARE = 0.2;

  /** Share of first-phase labeler examples mixed into the hard-question phase. */
  static final double LABELER_HARD_MIX = 0.0;

  private final PrintStream out;

  @Spec
  CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Where shapes-policy and shapes-labeler are written (default: the shipped "
          + "models directory, examples/models).")
  Path dir;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Seed of initialisation, data and training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--quick", description = "A few steps of each phase (a smoke run).")
  boolean quick;

  @Option(names = "--only", paramLabel = "MODEL", defaultValue = "both",
      description = "policy, labeler or both (default: ${DEFAULT-VALUE}); the labeler starts "
          + "from DIR/shapes-policy. With --world hard also captions (the policy's caption phase "
          + "only) and multitask: the policy's multitask phase alone, from "
          + "DIR/shapes-hard-labeler (with --multitask-from captions: the multitask phase and "
          + "the labeler, from the caption phase's policy in DIR/shapes-hard-policy), and "
          + "relations: the relation phase alone, from DIR/shapes-hard-labeler.")
  String only;

  @Option(names = "--policy-steps", paramLabel = "N", description = "Policy SFT steps.")
  Integer policySteps;

  @Option(names = "--labeler-steps", paramLabel = "N",
      description = "Labeler steps of the first phase (questions and captions).")
  Integer labelerSteps;

  @Option(names = "--hard-steps", paramLabel = "N",
      description = "Labeler steps of the hard-question phase.")
  Integer hardSteps;

  @Option(names = "--hard-lr", paramLabel = "X",
      description = "Learning rate of the hard-question phase.")
  Double hardLr;

  @Option(names = "--hard-mix", paramLabel = "F",
      description = "Share of first-phase examples mixed into the hard phase, in [0, 1) "
          + "(default: " + LABELER_HARD_MIX + ").")
  Double hardMix;

  @Option(names = "--multitask-steps", paramLabel = "N",
      description = "With --world hard: steps of the policy's multitask phase.")
  Integer multitaskSteps;

  @Option(names = "--multitask-lr", paramLabel = "X",
      description = "With --world hard: learning rate of the policy's multitask phase.")
  Double multitaskLr;

  @Option(names = "--question-share", paramLabel = "F",
      description = "With --world hard: share of yes/no questions in the policy's multitask "
          + "phase, in [0, 1].")
  Double questionShare;

  @Option(names = "--labeler-lr", paramLabel = "X",
      description = "With --world hard: learning rate of the labeler.")
  Double labelerLr;

  @Option(names = "--labeler-captions", paramLabel = "F",
      description = "With --world hard: share of clean captions in the labeler's mix, in [0, 1].")
  Double labelerCaptions;

  @Option(names = "--question-mix", paramLabel = "MIX",
      description = "With --world hard: stream (the default: the balanced stream and the hard "
          + "set's rotation), kinds (training questions drawn by kind, attribute and place "
          + "negatives weighing most) or pairs (the labeler's questions half minimal pairs: one "
          + "scene asked a true question and the same question with one detail changed).")
  String questionMix;

  @Option(names = "--multitask-from", paramLabel = "MODEL",
      description = "With --world hard: labeler (the default: the labeler is trained first, "
          + "from the caption phase's policy, and the multitask phase starts from the labeler's "
          + "weights) or captions (the multitask phase starts from the caption phase's policy, "
          + "and the labeler from the multitask policy).")
  String multitaskFrom;

  @Option(names = "--patch", paramLabel = "PIXELS",
      description = "With --world hard: the vision encoder's patch size, 16 (the default: one "
          + "patch per grid cell), 8 or 4; trains a new caption phase.")
  Integer patch;

  @Option(names = "--vision-layers", paramLabel = "N",
      description = "With --world hard: the vision encoder's layers (default 1); trains a new "
          + "caption phase.")
  Integer visionLayers;

  @Option(names = "--decoder-layers", paramLabel = "N",
      description = "With --world hard: the language model's layers (default 3); trains a new "
          + "caption phase.")
  Integer decoderLayers;

  @Option(names = "--relation-steps", paramLabel = "N",
      description = "With --world hard: steps of the relation phase (default 2000; 0: none). "
          + "After the labeler phase, the labeler is deepened to --relation-layers decoder layers "
          + "(new layers on top) and trained on its mix with half relation questions.")
  Integer relationSteps;

  @Option(names = "--relation-layers", paramLabel = "N",
      description = "With --world hard: the labeler's decoder layers in the relation phase "
          + "(default 6).")
  Integer relationLayers;

  @Option(names = "--labeler-relations", paramLabel = "F",
      description = "With --world hard: share of the labeler's examples that are relation "
          + "questions (half true, half wrong); the rest follow --labeler-captions and "
          + "--question-mix (default 0).")
  Double labelerRelations;

  @Option(names = "--world", paramLabel = "WORLD", defaultValue = "easy",
      description = "easy (the default, shapes-policy and shapes-labeler) or hard (the multitask "
          + "shapes-hard-policy, shapes-hard-labeler and labelers saved at 75%% and 85%% "
          + "validation accuracy) (default: ${DEFAULT-VALUE}).")
  String world;

  @Mixin
  HelpFlag help;

  PretrainCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    if (Cli.choice(spec, "--world", world, List.of("easy", "hard")).equals("hard")) {
      String part = Cli.choice(spec, "--only", only, List.of("both", "policy", "labeler",
          "multitask", "captions", "relations"));
      Path target = this.dir != null ? this.dir : ShapesModels.modelsDirectory(null);
      HardPretrain.Recipe r = HardPretrain.Recipe.of(quick);
      Plan p1 = r.policy();
      Plan p2 = r.multitask();
      Plan p3 = r.labeler();
      Plan p4 = r.relations();
      r = new HardPretrain.Recipe(
          new Plan(steps("--policy-steps", policySteps, p1.steps()), p1.batch(), p1.lr(),
              p1.examples()),
          new Plan(steps("--multitask-steps", multitaskSteps, p2.steps()), p2.batch(),
              multitaskLr == null ? p2.lr() : Cli.positive(spec, "--multitask-lr", multitaskLr),
              p2.examples()),
          new Plan(steps("--labeler-steps", labelerSteps, p3.steps()), p3.batch(),
              labelerLr == null ? p3.lr() : Cli.positive(spec, "--labeler-lr", labelerLr),
              p3.examples()),
          questionShare == null ? r.questionShare() : share("--question-share", questionShare),
          labelerCaptions == null ? r.captionShare()
              : share("--labeler-captions", labelerCaptions),
          questionMix == null ? r.mix()
              : HardPretrain.QuestionMix.valueOf(Cli.choice(spec, "--question-mix", questionMix,
                  List.of("stream", "kinds", "pairs")).toUpperCase(Locale.ROOT)),
          multitaskFrom == null ? r.multitaskFromLabeler()
              : Cli.choice(spec, "--multitask-from", multitaskFrom,
                  List.of("labeler", "captions")).equals("labeler"),
          patch == null ? r.patch() : patch(patch),
          visionLayers == null ? r.visionLayers()
              : Cli.range(spec, "--vision-layers", visionLayers, 1, 8),
          decoderLayers == null ? r.decoderLayers()
              : Cli.range(spec, "--decoder-layers", decoderLayers, 1, 12),
          labelerRelations == null ? r.relationShare()
              : share("--labeler-relations", labelerRelations),
          new Plan(relationSteps == null ? p4.steps()
              : Cli.range(spec, "--relation-steps", relationSteps, 0, 1_000_000), p4.batch(),
              p4.lr(), p4.examples()),
          relationLayers == null ? r.relationLayers()
              : Cli.range(spec, "--relation-layers", relationLayers, 2, 12));
      if (part.equals("relations") && r.relations().steps() == 0) {
        throw Cli.usage(spec, "--only relations needs --relation-steps N with N > 0");
      }
      if (part.equals("policy") && r.multitaskFromLabeler()) {
        // The multitask phase would start from whatever labeler DIR holds, not from this run's.
        throw Cli.usage(spec, "--world hard --only policy needs --multitask-from captions; the "
            + "default multitask phase starts from the labeler: use --only both, or --only "
            + "captions, then labeler, then multitask");
      }
      // With --multitask-from labeler, --only multitask trains the multitask phase alone, from
      // the labeler already in DIR.
      new HardPretrain(out, seed, quick, r).run(target,
          part.equals("both") || part.equals("policy") || part.equals("captions"),
          part.equals("both") || part.equals("policy") || part.equals("multitask"),
          !part.equals("policy") && !part.equals("captions") && !part.equals("relations")
              && !(part.equals("multitask") && r.multitaskFromLabeler()),
          (part.equals("both") || part.equals("labeler") || part.equals("relations"))
              && r.relations().steps() > 0);
      return 0;
    }
    Cli.choice(spec, "--only", only, List.of("both", "policy", "labeler"));
    Path dir = this.dir != null ? this.dir : ShapesModels.modelsDirectory(null);
    Plan policyPlan = quick ? POLICY_QUICK : POLICY;
    Plan labelerPlan = quick ? LABELER_QUICK : LABELER;
    Plan labelerHardPlan = quick ? LABELER_HARD_QUICK : LABELER_HARD;
    policyPlan = new Plan(steps("--policy-steps", policySteps, policyPlan.steps()),
        policyPlan.batch(), policyPlan.lr(), policyPlan.examples());
    labelerPlan = new Plan(steps("--labeler-steps", labelerSteps, labelerPlan.steps()),
        labelerPlan.batch(), labelerPlan.lr(), labelerPlan.examples());
    labelerHardPlan = new Plan(steps("--hard-steps", hardSteps, labelerHardPlan.steps()),
        labelerHardPlan.batch(),
        hardLr == null ? labelerHardPlan.lr() : Cli.positive(spec, "--hard-lr", hardLr),
        labelerHardPlan.examples());
    double mix = hardMix == null ? LABELER_HARD_MIX : Cli.nonNegative(spec, "--hard-mix", hardMix);
    if (mix >= 1) {
      throw Cli.usage(spec, "--hard-mix must be below 1, got " + mix);
    }
    run(dir, policyPlan, labelerPlan, labelerHardPlan, mix);
    return 0;
  }

  private double share(String option, double given) {
    if (!(given >= 0 && given <= 1)) {
      throw Cli.usage(spec, option + " must be in [0, 1], got " + given);
    }
    return given;
  }

  private int patch(int given) {
    if (given != 16 && given != 8 && given != 4) {
      throw Cli.usage(spec, "--patch must be 16, 8 or 4 (a divisor of the 32-pixel image), got "
          + given);
    }
    return given;
  }

  private int steps(String option, Integer given, int def) {
    return given == null ? def : Cli.range(spec, option, given, 1, 1_000_000);
  }

  private void run(Path dir, Plan policyPlan, Plan labelerPlan, Plan labelerHardPlan,
      double hardMix) {
    long t0 = System.nanoTime();
    ShapesWorld world = ShapesWorld.defaults();
    Path tokenizer;
    try {
      Files.createDirectories(dir);
      tokenizer = Files.createTempFile(dir, "tokenizer", ".json");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to models directory " + dir, e);
    }
    try {
      int vocab = TokenizerFiles.writeWordLevel(tokenizer, ShapesModels.vocabulary(world));
      out.printf(Locale.ROOT, "pretrain: vocabulary %d tokens, seed %d, into %s%n", vocab, seed, dir);

      List<SftExample> policyData = only.equals("labeler") ? List.of() : toSft(world.captionCorpus().examples(Split.TRAIN,
          seed, policyPlan.examples()));
      double policySeconds = only.equals("labeler") ? 0 : train("policy", ShapesModels.policyConfig(vocab), seed, tokenizer,
          policyData, policyPlan, null, dir.resolve(ShapesModels.POLICY), out);

      List<SftExample> labelerData = only.equals("policy") ? List.of() : toSft(world.polarCorpus().labelerExamples(Split.TRAIN,
          seed + 1, labelerPlan.examples(), LABELER_CAPTION_SHARE));
      // The labeler starts from the SFT policy's weights: grounding comes from captions first, as
      // with real MLLMs; trained from scratch on the mix it stayed at chance (see docs).
      double labelerSeconds = only.equals("policy") ? 0 : train("labeler", null, seed + 1,
          tokenizer, labelerData, labelerPlan, dir.resolve(ShapesModels.POLICY),
          dir.resolve(ShapesModels.LABELER), out);
      // Second labeler phase: the hard questions (wrong colour, shape, partner, place) of
      // training scenes only; the held-out measurement uses test scenes.
      if (!only.equals("policy")) {
        List<SftExample> hardData = world.polarCorpus()
            .hardSet(Split.TRAIN, seed + 2, labelerHardPlan.examples()).stream()
            .map(e -> new SftExample(e.image(), e.prompt(), e.target())).toList();
        if (hardMix > 0) {
          // A share of the first phase's examples keeps what that phase taught.
          int n = (int) Math.round(hardData.size() * hardMix / (1 - hardMix));
          List<SftExample> mixed = new java.util.ArrayList<>(hardData);
          mixed.addAll(labelerData.subList(0, Math.min(n, labelerData.size())));
          hardData = List.copyOf(mixed);
        }
        labelerSeconds += train("labeler (hard questions)", null, seed + 2, tokenizer, hardData,
            labelerHardPlan, dir.resolve(ShapesModels.LABELER), dir.resolve(ShapesModels.LABELER),
            out);
      }

      int nHard = quick ? 64 : 512;
      int nTest = quick ? 32 : 200;
      ShapesMetrics.LabelerAgreement acc = null;
      if (!only.equals("policy")) {
        try (LoadedVlm labeler = LoadedVlm.load(dir.resolve(ShapesModels.LABELER), Device.cpu())) {
          acc = PolicyEvaluation.judgeAccuracy(labeler,
              world.hardQuestions(Split.TEST, DemoCommand.TEST_SEED, nHard), "labeler hard set");
        }
      }
      ShapesMetrics.Report sft = null;
      if (!only.equals("labeler")) {
        try (LoadedVlm policy = LoadedVlm.load(dir.resolve(ShapesModels.POLICY), Device.cpu())) {
          sft = PolicyEvaluation.evaluate(world, policy,
              world.prompts(Split.TEST, nTest, DemoCommand.TEST_SEED), "policy greedy test");
        }
      }
      double total = (System.nanoTime() - t0) / 1e9;
      out.printf(Locale.ROOT, "%npretrain summary (seed %d)%n", seed);
      if (sft != null) {
        out.printf(Locale.ROOT, "  policy : %d steps x %d in %.0f s; greedy on %d test scenes: "
                + "CHAIR_i %.3f, CHAIR_s %.3f, coverage %.3f, %.1f words%n",
            policyPlan.steps(), policyPlan.batch(), policySeconds, nTest, sft.chairI(),
            sft.chairS(), sft.coverage(), sft.meanWords());
      }
      if (acc != null) {
        out.printf(Locale.ROOT, "  labeler: %d steps x %d in %.0f s; hard held-out questions: "
                + "accuracy %.3f (balanced %.3f, n = %d)%n",
            labelerPlan.steps() + labelerHardPlan.steps(), labelerPlan.batch(), labelerSeconds,
            acc.accuracy(),
            acc.balancedAccuracy(), acc.n());
      }
      out.printf(Locale.ROOT, "  saved under %s; total %.0f s%n", dir, total);
    } finally {
      try {
        Files.deleteIfExists(tokenizer);
      } catch (IOException e) {
        // a stray temporary file is harmless
      }
    }
  }

  static List<SftExample> toSft(List<TrainingExample> examples) {
    return examples.stream().map(e -> new SftExample(e.image(), e.prompt(), e.target())).toList();
  }

  static double train(String name, VlmConfig config, long seed, Path tokenizer,
      List<SftExample> data, Plan plan, Path initFrom, Path target, PrintStream out) {
    return train(name, config, seed, tokenizer, data, plan, initFrom, target, out, null);
  }

  /**
   * Trains one model phase as {@link #train(String, VlmConfig, long, Path, List, Plan, Path, Path,
   * PrintStream)} does, calling {@code onStep} with the model after every reported step.
   */
  static double train(String name, VlmConfig config, long seed, Path tokenizer,
      List<SftExample> data, Plan plan, Path initFrom, Path target, PrintStream out,
      java.util.function.BiConsumer<LoadedVlm, TrainingMetrics> onStep) {
    if (initFrom != null && !Files.isRegularFile(initFrom.resolve("model.safetensors"))) {
      throw new InvalidInputException("the " + name + " starts from " + initFrom
          + ", which holds no model; train that model first (see --only)");
    }
    long t0 = System.nanoTime();
    try (LoadedVlm vlm = initFrom != null ? LoadedVlm.load(initFrom, Device.cpu())
            : LoadedVlm.create(config, seed, tokenizer, ShapesModels.FORMAT, Device.cpu());
        Progress bar = Progress.start("SFT " + name, plan.steps())) {
      out.printf(Locale.ROOT, "pretrain: %s, %,d parameters, %d examples%n", name,
          vlm.model().parameterCount(), data.size());
      SftConfig cfg = SftConfig.builder().learningRate(plan.lr()).schedule(LrSchedule.COSINE)
          .warmupRatio(0.05).steps(plan.steps()).batchSize(plan.batch())
          .maxGradNorm(1.0).seed(seed).logEvery(10).build();
      // A non-finite gradient stops the run with TrainingDivergedException (the trainer names the
      // step); the command reports it rather than retrying with another schedule.
      new DjlSftTrainer().train(vlm, data, cfg, new TrainingListener() {
        @Override
        public void onStep(TrainingMetrics m, long totalSteps) {
          bar.stepTo(m.step());
          bar.message(String.format(Locale.ROOT, "loss %.3f", m.get("loss")));
          if (onStep != null) {
            onStep.accept(vlm, m);
          }
        }
      });
      vlm.save(target);
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
