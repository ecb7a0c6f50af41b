package org.rlaifv.examples;

import java.util.Locale;
import org.rlaifv.TrainingMetrics;
import org.rlaifv.core.loop.LoopListener;
import org.rlaifv.core.loop.Stage;
import org.rlaifv.core.loop.StageSummary;

/**
 * Shows the alignment loop's sample, score and train stages as progress bars. A bar is closed when
 * its stage ends and when the loop fails, so an error message printed afterwards starts on a line
 * of its own.
 */
public final class LoopProgress implements LoopListener {
  private final String label;
  private Progress bar;

  /**
   * Creates the listener.
   *
   * @param label prefix of every bar (the run's name)
   */
  public LoopProgress(String label) {
    this.label = label;
  }

  @Override
  public void onStageStart(int iteration, Stage stage, int total) {
    closeBar();
    if (stage == Stage.SAMPLE || stage == Stage.SCORE) {
      bar = Progress.start(String.format(Locale.ROOT, "%s iter %d %s", label, iteration,
          stage.key()), total);
    }
  }

  @Override
  public void onStageProgress(int iteration, Stage stage, int done, int total) {
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  @Override
  public void onTrainingStep(int iteration, TrainingMetrics metrics, long totalSteps) {
    if (bar == null) {
      bar = Progress.start(String.format(Locale.ROOT, "%s iter %d DPO", label, iteration),
          totalSteps);
    }
    bar.stepTo(metrics.step());
    bar.message(String.format(Locale.ROOT, "loss %.3f", metrics.get("loss")));
  }

  @Override
  public void onStageEnd(int iteration, Stage stage, StageSummary summary) {
    closeBar();
  }

  @Override
  public void onFailure(int iteration, Stage stage, Throwable error) {
    closeBar();
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
