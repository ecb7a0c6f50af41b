package org.rlaifv.examples;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar on standard error for one long stage; close it when the stage ends.
 */
public final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /**
   * Starts a bar.
   *
   * @param task the stage's name
   * @param total how many units the stage has
   * @return the bar, closed by the caller
   */
  public static Progress start(String task, long total) {
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(Math.max(1, total))
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500)
        .setMaxRenderedLength(100)
        // A fixed width: asking the terminal for its width fails noisily when stderr is a file.
        .setConsumer(new ConsoleProgressBarConsumer(System.err, 100))
        .continuousUpdate()
        .build();
    return new Progress(bar);
  }

  /**
   * Moves the bar to a position.
   *
   * @param done units finished
   */
  public void stepTo(long done) {
    bar.stepTo(done);
  }

  /** Advances the bar by one unit. */
  public void step() {
    bar.step();
  }

  /**
   * Shows a short message after the bar.
   *
   * @param message the message
   */
  public void message(String message) {
    bar.setExtraMessage(message);
  }

  @Override
  public void close() {
    bar.close();
  }
}
