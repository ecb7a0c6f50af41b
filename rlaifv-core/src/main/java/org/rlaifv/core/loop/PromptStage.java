package org.rlaifv.core.loop;

import java.util.List;
import java.util.Optional;
import org.rlaifv.Checkpoint;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.core.io.PromptResponses;

/**
 * The per-prompt work of one SAMPLE or SCORE stage that is still to do, as the loop hands it to a
 * {@link StageRunner}: which prompts are pending and how to compute one prompt's record.
 *
 * <p>A prompt's record is a pure function of the iteration (its policy and {@linkplain
 * #iterationSeed() seed}) and the prompt: it does not depend on the other prompts, on their order
 * or on how many times it is computed. A runner may therefore compute the pending prompts in any
 * order, in parallel or more than once (a retried task), as long as it delivers each prompt's
 * record once, in the order of {@link #pending()}.
 *
 * <pre>{@code
 * try (PromptStage.Worker<R> worker = stage.openWorker()) {
 *   for (Prompt p : stage.pending()) {
 *     sink.accept(worker.run(p));
 *   }
 * }
 * }</pre>
 *
 * <p>The records are {@link org.rlaifv.core.io.PromptResponses} for {@link Stage#SAMPLE} and
 * {@link org.rlaifv.core.io.PromptScores} for {@link Stage#SCORE}: the lines of the stage's file.
 *
 * @param <R> the type of a prompt's record
 */
public interface PromptStage<R> {

  /**
   * Returns the iteration the stage belongs to.
   *
   * @return the iteration, from 1
   */
  int iteration();

  /**
   * Returns the stage.
   *
   * @return {@link Stage#SAMPLE} or {@link Stage#SCORE}
   */
  Stage stage();

  /**
   * Returns the policy of the iteration: the checkpoint sampled from, and the one a per-policy
   * scorer is made for.
   *
   * @return the policy checkpoint
   */
  Checkpoint policy();

  /**
   * Returns the iteration's sampling seed; prompt {@code p} is sampled with base seed {@code
   * Seeds.mix(iterationSeed, p.id())}.
   *
   * @return the seed
   */
  long iterationSeed();

  /**
   * Returns the prompts whose records are still to be computed, in the order the records are
   * delivered: the run's prompts after those an earlier, interrupted attempt finished. Never
   * empty: a stage with nothing left to do is not handed to a runner.
   *
   * @return an unmodifiable list
   */
  List<Prompt> pending();

  /**
   * Returns the type of a record, for runners that serialize records (every record type is a
   * Jackson-serializable record of {@code org.rlaifv.core.io}).
   *
   * @return the record class
   */
  Class<R> recordType();

  /**
   * Opens the stage's role in this JVM: the sampler made by the loop's sampler factory, or the
   * scorer (the one given to the loop, or one made by its scorer factory, whose provenance is then
   * recorded in or checked against {@code iter-K/scorer.json}). Call it on the thread that runs
   * the loop (it may write to the run directory), once per worker wanted; each worker may then be
   * used on another thread. The caller closes the worker, which closes a role the loop made.
   *
   * @return the worker
   */
  Worker<R> openWorker();

  /**
   * Returns the stage described by value, for runners that compute records in other JVMs: present
   * when the loop's role was given as a spec ({@link AlignmentLoop.Builder#sampler(BackendSpec)},
   * {@link AlignmentLoop.Builder#scorer(ScorerSpec)}), empty when it was given as a function or an
   * object, which only this JVM can run.
   *
   * @return the spec, or empty
   */
  default Optional<StageSpec> spec() {
    return Optional.empty();
  }

  /**
   * Returns what a prompt's record is computed from besides the prompt: for a SCORE stage, the
   * prompt's record of the SAMPLE stage; for a SAMPLE stage, nothing.
   *
   * @param prompt one of the pending prompts
   * @return the prompt's sampled responses (SCORE), or empty (SAMPLE)
   */
  default Optional<PromptResponses> input(Prompt prompt) {
    return Optional.empty();
  }

  /**
   * Records, or checks against the record, the provenance of a role opened in another JVM from
   * {@link #spec()}, as {@link #openWorker()} does for its own role: a SCORE stage writes the
   * scorer's provenance to {@code iter-K/scorer.json}, or refuses one that differs from it; a
   * SAMPLE stage records nothing. Call it on the loop's thread before delivering records computed
   * with that role.
   *
   * @param provenance the provenance of the role that computed records
   * @throws org.rlaifv.InvalidInputException when a resumed stage was begun by another scorer
   */
  default void checkRole(Provenance provenance) {}

  /**
   * Computes prompts' records with an open role. Used by one thread at a time.
   *
   * @param <R> the type of a record
   */
  interface Worker<R> extends AutoCloseable {

    /**
     * Computes one prompt's record, checking the role's output.
     *
     * @param prompt one of the stage's pending prompts
     * @return the prompt's record
     * @throws org.rlaifv.InvalidInputException when the role returned invalid output (wrong number
     *     of responses, responses to another prompt), naming the prompt
     * @throws org.rlaifv.RlaifvException when the calling thread was interrupted; the run stays
     *     resumable
     */
    R run(Prompt prompt);

    /** Releases the role when the loop made it; a role given to the loop stays open. */
    @Override
    void close();
  }
}
