package org.rlaifv.examples.shapes;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.rlaifv.Checkpoint;
import org.rlaifv.CheckpointSelector;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.core.io.JsonlReader;
import org.rlaifv.core.io.JsonlWriter;
import org.rlaifv.core.shapes.HardMetrics;
import org.rlaifv.core.shapes.ShapesMetrics;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.djl.model.LoadedVlm;

/**
 * Picks the next policy on a validation split of scenes (never the test split): among the
 * checkpoints whose greedy coverage stays within {@code maxCoverageDrop} of the starting policy's,
 * those whose CHAIR_i is within {@code chairTolerance} of the lowest count as equally truthful and
 * the one with the highest coverage wins; when no checkpoint keeps the coverage, the one with the
 * highest coverage. In the hard world ({@link ShapesWorld#isHard()}) "truthful" is measured by the
 * false-claim rate of every kind ({@link HardMetrics.Report#falseClaimRate()}) instead of CHAIR_i
 * (the recorded candidates keep CHAIR_i, so run directories of both worlds read the same).
 *
 * <p>The floor is the coverage of the policy the whole run started from, so the loop cannot give
 * away coverage a little at a time over several iterations. Records every candidate it scored,
 * in memory and in {@value #FILE_NAME} beside the candidates (the trainer's output directory of the
 * iteration, {@code iter-K/train/} in a run directory), so a report made after a resume still has
 * the candidates of iterations finished earlier ({@link #read(Path)}). Not thread-safe.
 */
public final class ValidationSelector implements CheckpointSelector {

  /**
   * One scored candidate.
   *
   * @param iteration the iteration that trained it
   * @param checkpoint its id
   * @param chairI validation CHAIR_i
   * @param chairS validation CHAIR_s
   * @param coverage validation coverage
   * @param meanWords validation mean response length in words
   * @param selected whether it became the next policy
   */
  public record Candidate(int iteration, String checkpoint, double chairI, double chairS,
      double coverage, double meanWords, boolean selected) {}

  /** The file, in the directory holding an iteration's candidates, that lists their scores. */
  public static final String FILE_NAME = "validation.jsonl";

  private final ShapesWorld world;
  private final List<Prompt> validation;
  private final double coverageFloor;
  private final double chairTolerance;
  private final List<Candidate> scored = new ArrayList<>();

  /**
   * Creates the selector.
   *
   * @param world the world that made the validation prompts
   * @param validation validation prompts
   * @param startCoverage the starting policy's greedy coverage on the same prompts
   * @param maxCoverageDrop how far coverage may fall below {@code startCoverage}
   * @param chairTolerance CHAIR_i differences up to this count as ties (validation noise)
   */
  public ValidationSelector(ShapesWorld world, List<Prompt> validation, double startCoverage,
      double maxCoverageDrop, double chairTolerance) {
    this.world = world;
    this.validation = List.copyOf(validation);
    this.coverageFloor = startCoverage - maxCoverageDrop;
    this.chairTolerance = chairTolerance;
  }

  @Override
  public Checkpoint select(int iteration, List<Checkpoint> candidates) {
    List<ShapesMetrics.Report> reports = new ArrayList<>();
    double[] untruth = new double[candidates.size()];
    for (int i = 0; i < candidates.size(); i++) {
      Checkpoint c = candidates.get(i);
      try (LoadedVlm vlm = LoadedVlm.load(c.directory(), Device.cpu())) {
        String task = String.format(Locale.ROOT, "iter %d validate %s", iteration, c.id());
        if (world.isHard()) {
          HardMetrics.Report h = world.evaluateHard(PolicyEvaluation.generate(vlm, validation,
              task, ShapesModels.HARD_MAX_NEW_TOKENS));
          reports.add(h.objectReport());
          untruth[i] = h.falseClaimRate();
        } else {
          reports.add(PolicyEvaluation.evaluate(world, vlm, validation, task));
          untruth[i] = reports.get(i).chairI();
        }
      }
    }
    double minChair = Double.POSITIVE_INFINITY;
    for (int i = 0; i < reports.size(); i++) {
      if (reports.get(i).coverage() >= coverageFloor) {
        minChair = Math.min(minChair, untruth[i]);
      }
    }
    int best = -1;
    for (int i = 0; i < candidates.size(); i++) {
      ShapesMetrics.Report r = reports.get(i);
      boolean eligible = Double.isInfinite(minChair)
          || (r.coverage() >= coverageFloor && untruth[i] <= minChair + chairTolerance);
      if (eligible && (best < 0 || r.coverage() > reports.get(best).coverage()
          || (r.coverage() == reports.get(best).coverage() && untruth[i] < untruth[best]))) {
        best = i;
      }
    }
    List<Candidate> these = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      ShapesMetrics.Report r = reports.get(i);
      these.add(new Candidate(iteration, candidates.get(i).id(), r.chairI(), r.chairS(),
          r.coverage(), r.meanWords(), i == best));
    }
    scored.addAll(these);
    Path dir = candidates.get(0).directory().toAbsolutePath().normalize().getParent();
    if (dir != null) {
      JsonlWriter.writeAll(dir.resolve(FILE_NAME), these);
    }
    return candidates.get(best);
  }

  /**
   * Reads back the candidates a selector recorded for one iteration.
   *
   * @param candidatesDirectory the directory holding the iteration's candidates (for the alignment
   *     loop, {@code iter-K/train/} of the run directory)
   * @return the candidates in the order they were scored, empty when none were recorded there (an
   *     iteration without training)
   */
  public static List<Candidate> read(Path candidatesDirectory) {
    Path file = candidatesDirectory.resolve(FILE_NAME);
    return Files.isRegularFile(file) ? JsonlReader.readAll(file, Candidate.class) : List.of();
  }

  /**
   * Describes the selector: its validation prompts, coverage floor and tie tolerance.
   *
   * @return the provenance
   */
  @Override
  public Provenance provenance() {
    return Provenance.of(this)
        .with("validationPrompts", validation.size())
        .with("firstValidationPrompt", validation.isEmpty() ? "" : validation.get(0).id())
        .with("coverageFloor", coverageFloor)
        .with("chairTolerance", chairTolerance);
  }

  /**
   * Returns every candidate scored so far, in order.
   *
   * @return the candidates
   */
  public List<Candidate> scored() {
    return Collections.unmodifiableList(scored);
  }
}
