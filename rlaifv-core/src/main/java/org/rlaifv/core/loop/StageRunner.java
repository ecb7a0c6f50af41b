package org.rlaifv.core.loop;

import java.util.function.Consumer;

/**
 * Runs the per-prompt work of the alignment loop's SAMPLE and SCORE stages, which is most of a
 * run's work: the seam at which that work may move to other threads or machines (for example one
 * model per executor of a cluster) while the loop keeps the run directory. The default, {@link
 * #inProcess()}, computes the prompts one after the other on the thread that runs the loop; choose
 * another with {@link AlignmentLoop.Builder#stageRunner(StageRunner)}.
 *
 * <p>The loop keeps everything else: it reads back finished stages, recovers an interrupted stage's
 * finished prompts, hands only the {@linkplain PromptStage#pending() pending} prompts to the runner,
 * and commits the stage file once every pending prompt's record has been delivered. The sink the
 * runner is given checks each record (that it is the next pending prompt's, and the role checks:
 * for example {@code n} responses with the expected seeds), appends it to the stage's partial file
 * and forces it to disk, and reports progress to the loop's listeners. Records delivered before a
 * failure are kept, so a rerun on the same directory resumes after them.
 *
 * <p>A runner does not change the run's files: given records that are a pure function of the
 * iteration and the prompt (see {@link PromptStage}), every runner writes the same bytes as the
 * in-process one, so a runner is not part of the run's configuration and a run may be resumed with
 * another runner.
 *
 * <pre>{@code
 * // Computes the pending prompts on several threads, one worker (so one model) per thread, and
 * // delivers the records in prompt order.
 * public <R> void run(PromptStage<R> stage, Consumer<? super R> sink) {
 *   List<PromptStage.Worker<R>> workers = ...;   // stage.openWorker() per thread, on this thread
 *   List<Future<R>> records = ...;               // pending prompt i computed by worker i % threads
 *   for (Future<R> r : records) {
 *     sink.accept(r.get());
 *   }
 *   ...                                          // finally close the workers
 * }
 * }</pre>
 *
 * <p>A runner for a cluster sends the pending prompts (and, for SCORE, each prompt's {@linkplain
 * PromptStage#input(org.rlaifv.Prompt) sampled responses}) to its executors, where each executor
 * opens the stage's role once from the stage's {@linkplain PromptStage#spec() spec}, a {@link
 * StageSpec} that travels as JSON, and computes the records the in-process worker would with
 * {@link StageSpec#sample} or {@link StageSpec#score}; the driver checks the provenance of the
 * executors' roles ({@link PromptStage#checkRole}), delivers the records to the sink in prompt
 * order, and the loop commits the stage file only when all are delivered ({@code
 * org.rlaifv.spark.SparkStageRunner} in {@code rlaifv-spark} is such a runner).
 *
 * <p><b>Threading.</b> {@link #run} is called on the thread that runs the loop, and the sink must
 * be called on that thread too, one record at a time, before {@code run} returns; the workers may
 * run anywhere. Interrupting the loop's thread stops the in-process runner before its next prompt;
 * other runners stop their work and return or throw.
 */
public interface StageRunner {

  /**
   * Computes a record for every pending prompt of the stage and hands the records to the sink in
   * the order of {@link PromptStage#pending()}, each exactly once.
   *
   * @param stage the stage's pending work
   * @param sink commits one record; throws {@link org.rlaifv.InvalidInputException} for a record
   *     that is not the next pending prompt's or fails the role checks
   * @param <R> the type of a record
   * @throws RuntimeException any exception of the work, which stops the run (an {@link
   *     org.rlaifv.InvalidInputException} when the runner returns before delivering every record)
   */
  <R> void run(PromptStage<R> stage, Consumer<? super R> sink);

  /**
   * Returns the default runner: opens one worker with {@link PromptStage#openWorker()} and
   * computes the pending prompts in order on the calling thread, closing the worker at the end
   * (an exception from closing is added to the one that stopped the stage, never replaces it).
   *
   * @return the in-process runner, a stateless singleton
   */
  static StageRunner inProcess() {
    return InProcessStageRunner.INSTANCE;
  }
}
