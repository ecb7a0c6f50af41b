package org.rlaifv.core.loop;

import java.util.List;
import java.util.function.Consumer;
import org.rlaifv.Checkpoint;
import org.rlaifv.Provenance;
import org.rlaifv.TrainingMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener that forwards every call to several listeners, in order, and isolates them: an
 * exception thrown by one is logged (with the listener and the callback) and the others and the
 * loop carry on. The alignment loop calls its listeners through one of these, so a broken progress
 * display never stops a run.
 *
 * <pre>{@code
 * LoopListener all = LoopListeners.of(List.of(progressBar, metricsLogger));
 * }</pre>
 *
 * <p>Immutable; as thread-safe as the listeners it holds.
 */
public final class LoopListeners implements LoopListener {
  private static final Logger LOG = LoggerFactory.getLogger(LoopListeners.class);

  private final List<LoopListener> listeners;

  private LoopListeners(List<LoopListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /**
   * Returns a listener that calls every given listener in order.
   *
   * @param listeners the listeners
   * @return the composite
   */
  public static LoopListeners of(List<? extends LoopListener> listeners) {
    return new LoopListeners(List.copyOf(listeners));
  }

  /**
   * Returns the listeners, in call order.
   *
   * @return an unmodifiable list
   */
  public List<LoopListener> listeners() {
    return listeners;
  }

  @Override
  public void onStageStart(int iteration, Stage stage, int total) {
    each("onStageStart", l -> l.onStageStart(iteration, stage, total));
  }

  @Override
  public void onStageProgress(int iteration, Stage stage, int done, int total) {
    each("onStageProgress", l -> l.onStageProgress(iteration, stage, done, total));
  }

  @Override
  public void onStageEnd(int iteration, Stage stage, StageSummary summary) {
    each("onStageEnd", l -> l.onStageEnd(iteration, stage, summary));
  }

  @Override
  public void onTrainingStep(int iteration, TrainingMetrics metrics, long totalSteps) {
    each("onTrainingStep", l -> l.onTrainingStep(iteration, metrics, totalSteps));
  }

  @Override
  public void onTrainingEpoch(int iteration, TrainingMetrics metrics) {
    each("onTrainingEpoch", l -> l.onTrainingEpoch(iteration, metrics));
  }

  @Override
  public void onCheckpoint(int iteration, Checkpoint checkpoint) {
    each("onCheckpoint", l -> l.onCheckpoint(iteration, checkpoint));
  }

  @Override
  public void onIterationEnd(IterationSummary summary) {
    each("onIterationEnd", l -> l.onIterationEnd(summary));
  }

  @Override
  public void onFailure(int iteration, Stage stage, Throwable error) {
    each("onFailure", l -> l.onFailure(iteration, stage, error));
  }

  private void each(String callback, Consumer<LoopListener> call) {
    for (LoopListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("loop listener {} failed in {} (ignored): {}",
            Provenance.nameOf(l.getClass()), callback, e.toString(), e);
      }
    }
  }
}
