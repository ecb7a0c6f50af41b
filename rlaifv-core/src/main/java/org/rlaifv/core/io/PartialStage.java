package org.rlaifv.core.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An unfinished stage of a {@link RunDirectory} that is appended to one item at a time: each
 * {@link #append(Object)} writes one line to the partial file and forces it to disk, so an
 * interrupted stage resumes after its last finished item. {@link #complete()} turns the partial file
 * into the stage's final file with an atomic rename and records the stage.
 *
 * <p>Obtained from {@link RunDirectory#resumePartial}; the caller closes it. Closing without
 * completing keeps the partial file for the next attempt. Not thread-safe.
 *
 * @param <T> the type of a line
 */
public final class PartialStage<T> implements AutoCloseable {
  private final RunDirectory run;
  private final int iteration;
  private final String stage;
  private final Path partial;
  private final Path finalFile;
  private final List<T> records;
  private JsonlWriter writer;
  private boolean completed;

  PartialStage(
      RunDirectory run, int iteration, String stage, Path partial, Path finalFile, List<T> done) {
    this.run = run;
    this.iteration = iteration;
    this.stage = stage;
    this.partial = partial;
    this.finalFile = finalFile;
    this.records = new ArrayList<>(done);
  }

  /**
   * Returns the records finished so far: those recovered from an earlier attempt, then those
   * appended through this object.
   *
   * @return an unmodifiable view, in file order
   */
  public List<T> records() {
    return Collections.unmodifiableList(records);
  }

  /**
   * Returns the partial file's path.
   *
   * @return the partial file
   */
  public Path partialFile() {
    return partial;
  }

  /**
   * Appends one finished item and forces it to disk.
   *
   * @param record the item's record
   * @throws IllegalStateException when the stage is already completed
   */
  public void append(T record) {
    if (completed) {
      throw new IllegalStateException("stage " + stage + " of iteration " + iteration + " is completed");
    }
    if (writer == null) {
      writer = JsonlWriter.append(partial);
    }
    writer.write(record);
    writer.sync();
    records.add(record);
  }

  /**
   * Finishes the stage: renames the partial file to the final name atomically and records the
   * stage in the manifest.
   *
   * @return the stage record
   */
  public StageRecord complete() {
    if (completed) {
      throw new IllegalStateException("stage " + stage + " of iteration " + iteration + " is completed");
    }
    closeWriter();
    if (!java.nio.file.Files.exists(partial)) {
      // A stage with no items still gets its (empty) file.
      AtomicFiles.write(partial, new byte[0]);
    }
    AtomicFiles.move(partial, finalFile);
    completed = true;
    return run.recordStage(iteration, stage, finalFile, records.size());
  }

  /** Closes the partial file; an uncompleted stage keeps it for the next attempt. */
  @Override
  public void close() {
    closeWriter();
  }

  private void closeWriter() {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }
}
