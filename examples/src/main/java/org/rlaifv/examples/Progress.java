package org.rlaifv.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A console progress bar on standard error for one long stage; close it when the stage ends.
 *
 * <p>A bar redraws its line on a timer until closed. {@link #closeAll()} closes every bar still
 * open, so that an error message printed after it starts on a line of its own.
 */
public final class Progress implements AutoCloseable {
  private static final Set<Progress> OPEN = ConcurrentHashMap.newKeySet();

  private final ProgressBar bar;
  private final LineConsumer line;

  private Progress(ProgressBar bar, LineConsumer line) {
    this.bar = bar;
    this.line = line;
  }

  /**
   * Starts a bar.
   *
   * @param task the stage's name
   * @param total how many units the stage has
   * @return the bar, closed by the caller
   */
  public static Progress start(String task, long total) {
    // A fixed width: asking the terminal for its width fails noisily when stderr is a file.
    LineConsumer line = new LineConsumer(System.err, 100);
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(Math.max(1, total))
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(500)
        .setMaxRenderedLength(100)
        .setConsumer(line)
        .continuousUpdate()
        .build();
    Progress p = new Progress(bar, line);
    OPEN.add(p);
    return p;
  }

  /** Closes every bar not closed yet (each ends its line); a no-op when none is open. */
  public static void closeAll() {
    for (Progress p : List.copyOf(OPEN)) {
      p.close();
    }
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
    if (OPEN.remove(this)) {
      bar.close();
      // A bar closed before its first timed redraw leaves its line open: end it here.
      line.endLine();
    }
  }

  /** Draws the bar on a stream and remembers whether its line still needs ending. */
  private static final class LineConsumer extends ConsoleProgressBarConsumer {
    private final PrintStream stream;
    private boolean open;

    LineConsumer(PrintStream stream, int width) {
      super(stream, width);
      this.stream = stream;
    }

    @Override
    public synchronized void accept(String rendered) {
      super.accept(rendered);
      open = true;
    }

    @Override
    public synchronized void close() {
      super.close();
      open = false;
    }

    synchronized void endLine() {
      if (open) {
        stream.println();
        stream.flush();
        open = false;
      }
    }
  }
}
