package org.rlaifv.examples.shapes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlaifv.InvalidInputException;

/**
 * The hard world's ablations ({@code demo --world hard --ablations}): for each seed, the method
 * and the variants that each change one of its parts, then the mean and the spread (sample
 * standard deviation) of every final figure across seeds, in {@code ablations.json}.
 *
 * <ul>
 *   <li>{@code rlaifv}: the method (labeler, deconfounded candidates, iterative), with best-of-N
 *       by implicit reward, labeler and chance on the aligned policy.
 *   <li>{@code confounded}: half the candidates at a low, half at a high temperature; pairs
 *       limited as for holistic.
 *   <li>{@code one_shot}: one round from the SFT policy on as many pairs as the method used.
 *   <li>{@code holistic}: the labeler asked once whether the whole answer is what it sees, the
 *       score p_yes ({@link org.rlaifv.core.HolisticScorer}); at most the method's pairs per
 *       iteration (its total over the iterations, divided evenly, rounded up).
 *   <li>{@code rating}: the labeler asked to rate the whole answer one to five, the score the
 *       expected rating ({@link org.rlaifv.core.RatingScorer}); pairs limited as for holistic.
 *   <li>{@code labeler_q75}, {@code labeler_q85}: labelers saved at 75% and 85% validation
 *       accuracy.
 *   <li>{@code self_feedback}: the policy as its own labeler.
 *   <li>{@code oracle_75}, {@code oracle_85}, {@code oracle_95}: labelers of exactly that accuracy
 *       ({@link org.rlaifv.core.shapes.NoisyOracleJudge}).
 * </ul>
 *
 * Each variant runs in {@code OUT/seed-S/VARIANT} and resumes from there.
 */
public final class HardAblations {

  /** Every variant, in the order they run. */
  public static final List<String> VARIANTS = List.of("rlaifv", "confounded", "one_shot",
      "holistic", "rating", "labeler_q75", "labeler_q85", "self_feedback", "oracle_75", "oracle_85", "oracle_95");

  /** The final figures summarised across seeds. */
  static final List<String> FIGURES = List.of("chair_i", "chair_s", "count_error",
      "attribute_error", "relation_error", "any_error", "false_claim_rate", "coverage",
      "mean_words", "labeler_accuracy", "pairs", "pairs_chosen_fewer_false_claims",
      "pairs_chosen_more_false_claims");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HardShapesDemo.Settings base;
  private final List<Long> seeds;
  private final List<String> variants;
  private final List<Integer> bestOfN;

  /**
   * Creates the runner.
   *
   * @param base settings of the method (its seed and output directory are replaced per run)
   * @param seeds the seeds
   * @param variants which of {@link #VARIANTS} to run
   * @param bestOfN sample counts of best-of-N on the method's aligned policy (empty for none)
   * @throws InvalidInputException when a variant is unknown, or one_shot, holistic or rating runs
   *     without rlaifv (they take their pair budget from it)
   */
  public HardAblations(HardShapesDemo.Settings base, List<Long> seeds, List<String> variants,
      List<Integer> bestOfN) {
    for (String v : variants) {
      if (!VARIANTS.contains(v)) {
        throw new InvalidInputException("unknown ablation '" + v + "'; known: " + VARIANTS);
      }
    }
    for (String v : List.of("one_shot", "holistic", "rating")) {
      if (variants.contains(v) && !variants.contains("rlaifv")) {
        throw new InvalidInputException(
            "the " + v + " ablation takes its pair budget from rlaifv; add rlaifv to the variants");
      }
    }
    this.base = base;
    this.seeds = List.copyOf(seeds);
    this.variants = VARIANTS.stream().filter(variants::contains).toList();
    this.bestOfN = List.copyOf(bestOfN);
  }

  /**
   * Runs every variant on every seed and writes {@code ablations.json}.
   *
   * @param out where progress and the summary go
   * @return the summary
   */
  public ObjectNode run(PrintStream out) {
    Map<String, List<JsonNode>> finals = new LinkedHashMap<>();
    Map<String, List<JsonNode>> bests = new LinkedHashMap<>();
    for (long seed : seeds) {
      int methodPairs = 0;
      for (String v : variants) {
        if (!available(v)) {
          out.printf(Locale.ROOT, "%nskipping ablation %s: no such labeler under %s%n", v,
              base.models());
          continue;
        }
        HardShapesDemo.Settings st = settings(v, seed, methodPairs);
        out.printf(Locale.ROOT, "%n== ablation %s, seed %d ==%n", v, seed);
        ObjectNode report = new HardShapesDemo(st).run(out);
        JsonNode its = report.get("iterations");
        ObjectNode last = ((ObjectNode) its.get(its.size() - 1)).deepCopy();
        int pairs = 0;
        for (JsonNode it : its) {
          pairs += it.get("pairs").asInt();
        }
        last.put("pairs", pairs);
        // Over all iterations: how often the pairs preferred the answer with fewer false claims.
        for (String f : List.of("pairs_chosen_fewer_false_claims",
            "pairs_chosen_more_false_claims")) {
          last.put(f, report.get("pair_audit").get(f).asDouble());
        }
        last.put("sft_chair_i", its.get(0).get("chair_i").asDouble());
        last.put("sft_false_claim_rate", its.get(0).get("false_claim_rate").asDouble());
        last.put("sft_coverage", its.get(0).get("coverage").asDouble());
        last.put("seed", seed);
        finals.computeIfAbsent(v, k -> new ArrayList<>()).add(last);
        if (v.equals("rlaifv")) {
          methodPairs = pairs;
          if (report.has("best_of_n")) {
            bests.computeIfAbsent(v, k -> new ArrayList<>()).add(report.get("best_of_n"));
          }
        }
      }
    }
    ObjectNode summary = JSON.createObjectNode();
    summary.putPOJO("seeds", seeds);
    summary.put("quick", base.quick());
    ObjectNode vs = summary.putObject("variants");
    for (Map.Entry<String, List<JsonNode>> e : finals.entrySet()) {
      ObjectNode v = vs.putObject(e.getKey());
      for (String f : FIGURES) {
        double[] xs = e.getValue().stream().mapToDouble(n -> n.get(f).asDouble()).toArray();
        v.put(f + "_mean", mean(xs));
        v.put(f + "_sd", sd(xs));
      }
      v.set("runs", JSON.valueToTree(e.getValue()));
    }
    if (bests.containsKey("rlaifv")) {
      summary.set("best_of_n", bestOfNSummary(bests.get("rlaifv")));
    }
    ShapesDemo.write(summary, base.out().resolve("ablations.json"));
    print(out, summary);
    return summary;
  }

  private HardShapesDemo.Settings settings(String v, long seed, int methodPairs) {
    HardShapesDemo.Settings s = new HardShapesDemo.Settings(base.models(),
        base.out().resolve("seed-" + seed).resolve(v), seed, base.iterations(), base.prompts(),
        base.samples(), base.temperature(), base.validationPrompts(), base.testPrompts(),
        base.hardQuestions(), base.dpo().toBuilder().seed(seed).build(), base.maxCoverageDrop(),
        base.quick(), "labeler", ShapesModels.HARD_LABELER, 1.0, false, 0, List.of(), "divide", 0,
        base.lengthBalancing());
    int perIteration = Math.max(1, (methodPairs + base.iterations() - 1) / base.iterations());
    return switch (v) {
      case "rlaifv" -> s.withBestOfN(bestOfN);
      case "confounded" -> s.withConfounded(true).withMaxPairsPerIteration(perIteration);
      case "one_shot" -> s.withOneShot(Math.max(1, methodPairs));
      case "holistic" -> s.withScoring("holistic").withMaxPairsPerIteration(perIteration);
      case "rating" -> s.withScoring("rating").withMaxPairsPerIteration(perIteration);
      case "labeler_q75" -> s.withFeedback("labeler", ShapesModels.hardLabelerAtQuality(75));
      case "labeler_q85" -> s.withFeedback("labeler", ShapesModels.hardLabelerAtQuality(85));
      case "self_feedback" -> s.withFeedback("self", ShapesModels.HARD_LABELER);
      case "oracle_75" -> s.withFeedback("oracle", ShapesModels.HARD_LABELER)
          .withOracleAccuracy(0.75);
      case "oracle_85" -> s.withFeedback("oracle", ShapesModels.HARD_LABELER)
          .withOracleAccuracy(0.85);
      case "oracle_95" -> s.withFeedback("oracle", ShapesModels.HARD_LABELER)
          .withOracleAccuracy(0.95);
      default -> throw new InvalidInputException("unknown ablation '" + v + "'");
    };
  }

  private static ObjectNode bestOfNSummary(List<JsonNode> perSeed) {
    ObjectNode out = JSON.createObjectNode();
    JsonNode first = perSeed.get(0);
    first.properties().forEach(e -> {
      if (!e.getValue().isObject()) {
        return;
      }
      ObjectNode n = out.putObject(e.getKey());
      for (String how : List.of("implicit_reward", "labeler", "random")) {
        ObjectNode h = n.putObject(how);
        for (String f : List.of("false_claim_rate", "chair_i", "any_error", "coverage")) {
          double[] xs = perSeed.stream()
              .mapToDouble(b -> b.get(e.getKey()).get(how).get(f).asDouble()).toArray();
          h.put(f + "_mean", mean(xs));
          h.put(f + "_sd", sd(xs));
        }
      }
    });
    return out;
  }

  private static void print(PrintStream out, ObjectNode summary) {
    out.printf(Locale.ROOT, "%nablations over seeds %s (mean +- sd of the final policy on test)%n",
        summary.get("seeds"));
    out.println("| variant | pairs | pairs right / wrong | judge acc. | CHAIR_i | count err. | "
        + "attribute err. | relation err. | false claims | coverage |");
    out.println("|---|---|---|---|---|---|---|---|---|---|");
    summary.get("variants").properties().forEach(e -> {
      JsonNode v = e.getValue();
      out.printf(Locale.ROOT, "| %s | %.0f | %.2f / %.2f | %s | %s | %s | %s | %s | %s | %s |%n",
          e.getKey(), v.get("pairs_mean").asDouble(),
          v.get("pairs_chosen_fewer_false_claims_mean").asDouble(),
          v.get("pairs_chosen_more_false_claims_mean").asDouble(), pm(v, "labeler_accuracy"),
          pm(v, "chair_i"),
          pm(v, "count_error"), pm(v, "attribute_error"), pm(v, "relation_error"),
          pm(v, "false_claim_rate"), pm(v, "coverage"));
    });
  }

  private static String pm(JsonNode v, String f) {
    return String.format(Locale.ROOT, "%.3f +- %.3f", v.get(f + "_mean").asDouble(),
        v.get(f + "_sd").asDouble());
  }

  static double mean(double[] xs) {
    double s = 0;
    for (double x : xs) {
      s += x;
    }
    return xs.length == 0 ? 0 : s / xs.length;
  }

  static double sd(double[] xs) {
    if (xs.length < 2) {
      return 0;
    }
    double m = mean(xs);
    double s = 0;
    for (double x : xs) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (xs.length - 1));
  }

  /**
   * Returns whether the models directory holds the labeler a variant needs.
   *
   * @param variant the variant
   * @return true when it can run
   */
  private boolean available(String variant) {
    return switch (variant) {
      case "labeler_q75" -> Files.isDirectory(
          base.models().resolve(ShapesModels.hardLabelerAtQuality(75)));
      case "labeler_q85" -> Files.isDirectory(
          base.models().resolve(ShapesModels.hardLabelerAtQuality(85)));
      default -> true;
    };
  }
}
