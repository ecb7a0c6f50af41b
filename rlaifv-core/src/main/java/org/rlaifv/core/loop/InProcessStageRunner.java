package org.rlaifv.core.loop;

import java.util.function.Consumer;
import org.rlaifv.Prompt;

/** The default {@link StageRunner}: one worker, the pending prompts in order, on the loop's thread. */
final class InProcessStageRunner implements StageRunner {
  static final InProcessStageRunner INSTANCE = new InProcessStageRunner();

  private InProcessStageRunner() {}

  @Override
  public <R> void run(PromptStage<R> stage, Consumer<? super R> sink) {
    try (PromptStage.Worker<R> worker = stage.openWorker()) {
      for (Prompt p : stage.pending()) {
        sink.accept(worker.run(p));
      }
    }
  }

  @Override
  public String toString() {
    return "StageRunner.inProcess()";
  }
}
