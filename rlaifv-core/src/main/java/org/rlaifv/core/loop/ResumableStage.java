package org.rlaifv.core.loop;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.core.io.PartialStage;
import org.rlaifv.core.io.RunDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skeleton of a resumable stage that makes one record per prompt (SAMPLE and SCORE), shared by
 * both: read the stage back when it is finished; otherwise recover the prompts an interrupted
 * attempt finished, hand the pending prompts to the {@link StageRunner}, check and append each
 * record it delivers (forced to disk, with progress reported), and commit the stage file when every
 * prompt has its record. Subclasses say what a record is and how a worker computes one.
 *
 * <p>The stage file holds one record per prompt in the run's prompt order; a file whose prompts
 * differ from the run's is refused, naming the file and line.
 *
 * @param <R> the type of a prompt's record (a line of the stage file)
 */
abstract class ResumableStage<R> implements PromptStage<R> {
  // Logged under the loop's name, like the other stage lines.
  private static final Logger LOG = LoggerFactory.getLogger(AlignmentLoop.class);

  final RunContext context;
  private final int iteration;
  private final Stage stage;
  private final Checkpoint policy;
  private final long iterationSeed;
  private final Class<R> recordType;
  private List<Prompt> pending = List.of();

  ResumableStage(RunContext context, int iteration, Stage stage, Checkpoint policy,
      long iterationSeed, Class<R> recordType) {
    this.context = context;
    this.iteration = iteration;
    this.stage = stage;
    this.policy = policy;
    this.iterationSeed = iterationSeed;
    this.recordType = recordType;
  }

  /** The prompt a record belongs to. */
  abstract String promptId(R record);

  /** The items a record counts for in the stage summary (responses, scored responses). */
  abstract int items(R record);

  /** Checks a delivered record of the prompt with the role checks; throws when it fails. */
  abstract void check(Prompt prompt, R record);

  @Override
  public final int iteration() {
    return iteration;
  }

  @Override
  public final Stage stage() {
    return stage;
  }

  @Override
  public final Checkpoint policy() {
    return policy;
  }

  @Override
  public final long iterationSeed() {
    return iterationSeed;
  }

  @Override
  public final List<Prompt> pending() {
    return pending;
  }

  @Override
  public final Class<R> recordType() {
    return recordType;
  }

  /**
   * Runs the stage, or reads it back when it is finished.
   *
   * @param runner runs the pending prompts
   * @return one record per prompt, in prompt order
   */
  final List<R> run(StageRunner runner) {
    RunDirectory run = context.run();
    List<Prompt> prompts = context.prompts();
    int k = iteration;
    context.startStage(k, stage, prompts.size());
    if (run.stageDone(k, stage.key())) {
      List<R> done = run.readStage(k, stage.key(), recordType);
      checkAligned(done, true);
      context.endStage(k, stage, count(done), 0, true);
      return done;
    }
    long t0 = System.nanoTime();
    try (PartialStage<R> partial =
        run.resumePartial(k, stage.key(), stage.fileName(), recordType)) {
      checkAligned(partial.records(), false);
      int from = partial.records().size();
      if (from > 0) {
        LOG.info("iteration {} {} stage: {} of {} prompts recovered from {}", k, stage.key(), from,
            prompts.size(), partial.partialFile());
      }
      if (from < prompts.size()) {
        pending = List.copyOf(prompts.subList(from, prompts.size()));
        Sink sink = new Sink(partial);
        try {
          runner.run(this, sink);
        } finally {
          sink.closed = true;
        }
        if (partial.records().size() < prompts.size()) {
          throw new InvalidInputException("stage runner " + Provenance.nameOf(runner.getClass())
              + " returned after delivering " + (partial.records().size() - from) + " of "
              + pending.size() + " records of iteration " + k + " stage " + stage.key()
              + "; the prompts finished so far are kept, and a rerun resumes after them");
        }
      }
      partial.complete();
      List<R> all = List.copyOf(partial.records());
      context.endStage(k, stage, count(all), RunContext.seconds(t0), false);
      return all;
    }
  }

  /** Commits the runner's records: checked, appended and forced to disk, progress reported. */
  private final class Sink implements Consumer<R> {
    private final PartialStage<R> partial;
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    Sink(PartialStage<R> partial) {
      this.partial = partial;
    }

    @Override
    public void accept(R record) {
      if (closed) {
        throw new IllegalStateException("iteration " + iteration + " stage " + stage.key()
            + " is over: a stage runner delivers its records before run returns");
      }
      if (Thread.currentThread() != owner) {
        throw new IllegalStateException("stage runner delivered a record of iteration " + iteration
            + " stage " + stage.key() + " on thread " + Thread.currentThread().getName()
            + "; records are delivered on the thread that runs the loop");
      }
      Objects.requireNonNull(record, "stage runner delivered null");
      List<Prompt> prompts = context.prompts();
      int i = partial.records().size();
      if (i >= prompts.size()) {
        throw new InvalidInputException("stage runner delivered a record of prompt "
            + promptId(record) + " after the last prompt of iteration " + iteration + " stage "
            + stage.key());
      }
      Prompt p = prompts.get(i);
      if (!promptId(record).equals(p.id())) {
        throw new InvalidInputException("stage runner delivered a record of prompt "
            + promptId(record) + " where iteration " + iteration + " stage " + stage.key()
            + " expected prompt " + p.id() + "; records are delivered in prompt order");
      }
      check(p, record);
      partial.append(record);
      context.progress(iteration, stage, i + 1);
    }
  }

  private int count(List<R> records) {
    int n = 0;
    for (R r : records) {
      n += items(r);
    }
    return n;
  }

  /** Refuses a stage file whose prompts are not the run's, in order. */
  private void checkAligned(List<R> records, boolean complete) {
    RunDirectory run = context.run();
    List<Prompt> prompts = context.prompts();
    int k = iteration;
    if (complete && records.size() != prompts.size()) {
      throw new InvalidInputException("iteration " + k + " " + stage.fileName() + " in "
          + run.root() + " holds " + records.size() + " prompts, expected " + prompts.size());
    }
    if (records.size() > prompts.size()) {
      throw new InvalidInputException("iteration " + k + " partial " + stage.fileName()
          + " in " + run.root() + " holds more prompts than the run has");
    }
    for (int i = 0; i < records.size(); i++) {
      String id = promptId(records.get(i));
      if (!id.equals(prompts.get(i).id())) {
        throw new InvalidInputException("iteration " + k + " " + stage.fileName() + " in "
            + run.root() + " line " + (i + 1) + " holds prompt " + id + ", expected "
            + prompts.get(i).id() + "; the prompts differ from those the run started with");
      }
    }
  }
}
