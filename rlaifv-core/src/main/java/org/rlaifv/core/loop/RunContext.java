package org.rlaifv.core.loop;

import java.util.List;
import java.util.Locale;
import org.rlaifv.Prompt;
import org.rlaifv.RlaifvException;
import org.rlaifv.core.io.RunDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every stage of one call to {@link AlignmentLoop#run} shares: the run directory, the prompts,
 * the listeners, and which stage is running (reported to {@link LoopListener#onFailure}). Its stage
 * events tell the listeners and the log when a stage starts, makes progress and ends, and stop the
 * run when the thread was interrupted. Used by the thread that runs the loop only.
 */
final class RunContext {
  // Logged under the loop's name: the stage lines are the loop's account of a run.
  private static final Logger LOG = LoggerFactory.getLogger(AlignmentLoop.class);

  private final RunDirectory run;
  private final List<Prompt> prompts;
  private final LoopListeners listeners;
  private Stage current;

  RunContext(RunDirectory run, List<Prompt> prompts, LoopListeners listeners) {
    this.run = run;
    this.prompts = prompts;
    this.listeners = listeners;
  }

  RunDirectory run() {
    return run;
  }

  /** The run's prompts, validated, in order. */
  List<Prompt> prompts() {
    return prompts;
  }

  LoopListeners listeners() {
    return listeners;
  }

  /** The stage started last in the current iteration, or null before the first. */
  Stage current() {
    return current;
  }

  /** Forgets the current stage; called when an iteration starts. */
  void clearCurrent() {
    current = null;
  }

  /**
   * Stops the run with an {@link RlaifvException} that says how to resume when the thread was
   * interrupted; the interrupt flag stays set.
   */
  void checkInterrupted(int k, Stage stage) {
    if (Thread.currentThread().isInterrupted()) {
      throw new RlaifvException("alignment run " + run.runId() + " interrupted in iteration " + k
          + ", stage " + stage.key() + "; run it again on " + run.root() + " to resume");
    }
  }

  void startStage(int k, Stage stage, int total) {
    current = stage;
    checkInterrupted(k, stage);
    listeners.onStageStart(k, stage, total);
  }

  void progress(int k, Stage stage, int done) {
    listeners.onStageProgress(k, stage, done, prompts.size());
  }

  void endStage(int k, Stage stage, int items, double seconds, boolean resumed) {
    StageSummary s = new StageSummary(k, stage, items, seconds, resumed);
    LOG.info("iteration {} stage {}: {} items in {} s{}", k, stage.key(), items,
        String.format(Locale.ROOT, "%.2f", seconds), resumed ? " (read back)" : "");
    listeners.onStageEnd(k, stage, s);
    // A listener may have interrupted the thread: stop here, before the manifest is written
    // through a channel the interrupt would close.
    checkInterrupted(k, stage);
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
