package org.rlaifv.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.rlaifv.Checkpoint;
import org.rlaifv.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk record of an alignment run, laid out so that a run killed at any moment resumes
 * without redoing finished work and without duplicating or losing records.
 *
 * <pre>
 * runDir/manifest.json            run id, configuration snapshot, provenance, iterations
 * runDir/iter-K/responses.jsonl   stage files, each written atomically when complete
 * runDir/iter-K/scores.jsonl
 * runDir/iter-K/pairs.jsonl
 * runDir/iter-K/train/            the trainer's output directory
 * runDir/iter-K/training.jsonl
 * runDir/iter-K/selected.json
 * </pre>
 *
 * <p>A stage is finished when the manifest holds its {@link StageRecord}; the stage file is
 * renamed into place before the manifest is updated, and its SHA-256 is checked when read back.
 * Long stages append one line per finished item to a partial file ({@code NAME.partial.jsonl},
 * see {@link #resumePartial}), so a rerun skips finished items.
 *
 * <pre>{@code
 * RunDirectory run = RunDirectory.open(dir, "run-1", configTree, Map.of());
 * try (PartialStage<Row> stage = run.resumePartial(1, "sample", "responses.jsonl", Row.class)) {
 *   for (Item item : items.subList(stage.records().size(), items.size())) {
 *     stage.append(compute(item));
 *   }
 *   stage.complete();
 * }
 * }</pre>
 *
 * <p>One process owns a run directory at a time; instances are not thread-safe.
 */
public final class RunDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);

  /** The manifest's file name. */
  public static final String MANIFEST = "manifest.json";

  private final Path root;
  private RunManifest manifest;

  private RunDirectory(Path root, RunManifest manifest) {
    this.root = root;
    this.manifest = manifest;
  }

  /**
   * Opens a run directory, creating it with a fresh manifest or checking an existing one.
   *
   * @param root the run directory (created when absent)
   * @param runId the run id
   * @param config the configuration snapshot
   * @param provenance facts recorded when the manifest is created (ignored when resuming)
   * @return the run directory
   * @throws InvalidInputException naming the directory when an existing manifest belongs to
   *     another run id or configuration, or is malformed
   * @throws UncheckedIOException when the directory cannot be created
   */
  public static RunDirectory open(
      Path root, String runId, JsonNode config, Map<String, String> provenance) {
    Path abs = root.toAbsolutePath().normalize();
    // Compare what a manifest file holds: numbers read back as the narrowest node type.
    JsonNode normalized = normalize(config);
    Path manifestFile = abs.resolve(MANIFEST);
    // Nothing writes here while the directory is being opened: what an interrupted write left is
    // garbage (a manifest or stage file's temporary sibling, a half-written checkpoint).
    removeLeftovers(abs);
    if (Files.exists(manifestFile)) {
      RunManifest existing = Json.read(manifestFile, RunManifest.class);
      List<String> differing = differingFields(existing.config(), normalized);
      boolean otherId = !existing.runId().equals(runId);
      if (otherId || !differing.isEmpty()) {
        String fields = differing.isEmpty() ? "" : " (configuration differs in: "
            + String.join(", ", differing) + ")";
        if (otherId) {
          throw new InvalidInputException(
              "run directory " + abs + " holds run " + existing.runId() + ", not " + runId + fields
                  + "; use another directory for a new run");
        }
        throw new InvalidInputException(
            "run directory " + abs + " was made with a different configuration (differs in: "
                + String.join(", ", differing)
                + "); resume with the same configuration or use another directory");
      }
      RunDirectory dir = new RunDirectory(abs, existing);
      dir.verifyCommittedFiles();
      LOG.info("resuming run {} in {} ({} iterations finished)", runId, abs,
          existing.iterationsFinished());
      return dir;
    }
    try {
      Files.createDirectories(abs);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + abs, e);
    }
    RunManifest fresh = new RunManifest(RunManifest.FORMAT, runId, normalized, provenance, 0, List.of());
    RunDirectory dir = new RunDirectory(abs, fresh);
    dir.saveManifest();
    return dir;
  }

  /**
   * Checks every stage file the manifest records, in every iteration, finished or not: present and
   * with the recorded SHA-256. Resume calls it before any work starts, so an edited or lost file of
   * a finished iteration is reported instead of silently trusted.
   *
   * @throws InvalidInputException naming the first missing or changed file
   */
  public void verifyCommittedFiles() {
    for (IterationRecord r : manifest.iterations()) {
      for (String stage : r.stages().keySet()) {
        verifiedFile(r.iteration(), stage);
      }
    }
  }

  /**
   * Returns the run directory's absolute path.
   *
   * @return the root
   */
  public Path root() {
    return root;
  }

  /**
   * Returns the run id.
   *
   * @return the id
   */
  public String runId() {
    return manifest.runId();
  }

  /**
   * Returns the current manifest (checkpoint paths as stored, relative inside the run directory).
   *
   * @return the manifest
   */
  public RunManifest manifest() {
    return manifest;
  }

  /**
   * Returns the number of completely finished iterations.
   *
   * @return the count
   */
  public int iterationsFinished() {
    return manifest.iterationsFinished();
  }

  /**
   * Returns an iteration's directory, {@code root/iter-K}.
   *
   * @param iteration the iteration, from 1
   * @return the directory (not created)
   */
  public Path iterationDirectory(int iteration) {
    if (iteration < 1) {
      throw new IllegalArgumentException("iteration numbers start at 1, got " + iteration);
    }
    return root.resolve("iter-" + iteration);
  }

  /**
   * Returns the trainer's output directory of an iteration, {@code root/iter-K/train}.
   *
   * @param iteration the iteration, from 1
   * @return the directory (not created)
   */
  public Path trainDirectory(int iteration) {
    return iterationDirectory(iteration).resolve("train");
  }

  /**
   * Returns an iteration's record with checkpoint paths resolved against the run directory.
   *
   * @param iteration the iteration, from 1
   * @return the record, or empty when the iteration has not started
   */
  public Optional<IterationRecord> iteration(int iteration) {
    if (iteration < 1 || iteration > manifest.iterations().size()) {
      return Optional.empty();
    }
    IterationRecord r = manifest.iterations().get(iteration - 1);
    List<Checkpoint> trained = new ArrayList<>();
    for (Checkpoint c : r.trainedCheckpoints()) {
      trained.add(resolve(c));
    }
    return Optional.of(new IterationRecord(r.iteration(), resolve(r.policy()),
        resolve(r.reference()), r.samplingSeed(), r.stages(), trained, r.trainingSkipped(),
        r.selected() == null ? null : resolve(r.selected()), r.summary()));
  }

  /**
   * Records the start of an iteration, or checks a resumed one against its record.
   *
   * @param iteration the iteration: one already started, or the next one
   * @param policy the policy that starts it
   * @param reference its reference model
   * @param samplingSeed its sampling seed
   * @return the iteration's record (resolved paths)
   * @throws InvalidInputException when a resumed iteration was started with other models or seed
   */
  public IterationRecord startIteration(
      int iteration, Checkpoint policy, Checkpoint reference, long samplingSeed) {
    int started = manifest.iterations().size();
    if (iteration <= started) {
      IterationRecord r = iteration(iteration).orElseThrow();
      if (!sameCheckpoint(r.policy(), policy) || !sameCheckpoint(r.reference(), reference)
          || r.samplingSeed() != samplingSeed) {
        throw new InvalidInputException(
            "iteration " + iteration + " of run directory " + root + " was started with policy "
                + r.policy().id() + ", reference " + r.reference().id() + ", seed "
                + r.samplingSeed() + "; now " + policy.id() + ", " + reference.id() + ", "
                + samplingSeed);
      }
      return r;
    }
    if (iteration != started + 1) {
      throw new IllegalStateException(
          "iteration " + iteration + " cannot start before iteration " + (started + 1));
    }
    List<IterationRecord> its = new ArrayList<>(manifest.iterations());
    its.add(IterationRecord.started(iteration, relativize(policy), relativize(reference),
        samplingSeed));
    setManifest(new RunManifest(manifest.format(), manifest.runId(), manifest.config(),
        manifest.provenance(), manifest.iterationsFinished(), its));
    return iteration(iteration).orElseThrow();
  }

  /**
   * Returns a finished stage's record.
   *
   * @param iteration the iteration
   * @param stage the stage key
   * @return the record, or empty when the stage is not finished
   */
  public Optional<StageRecord> stage(int iteration, String stage) {
    return iteration(iteration).map(r -> r.stages().get(stage));
  }

  /**
   * Returns whether a stage is finished.
   *
   * @param iteration the iteration
   * @param stage the stage key
   * @return true when the manifest records it
   */
  public boolean stageDone(int iteration, String stage) {
    return stage(iteration, stage).isPresent();
  }

  /**
   * Opens an unfinished stage for item-by-item appending, recovering what an earlier, interrupted
   * attempt finished.
   *
   * <p>The partial file {@code NAME.partial.jsonl} keeps the finished items. A truncated or
   * malformed last line (a crash mid-write) is dropped. If an earlier attempt had renamed the
   * partial file to its final name but crashed before recording the stage, the final file is taken
   * back as the partial one, so nothing is redone or lost.
   *
   * @param iteration the started iteration
   * @param stage the stage key
   * @param fileName the final file name, ending in {@code .jsonl}
   * @param type the type of a line
   * @param <T> the line type
   * @return the open stage; the caller closes it
   * @throws IllegalStateException when the stage is already finished
   * @throws InvalidInputException naming the file and line of a corrupt line
   */
  public <T> PartialStage<T> resumePartial(
      int iteration, String stage, String fileName, Class<T> type) {
    requireStarted(iteration);
    if (stageDone(iteration, stage)) {
      throw new IllegalStateException("stage " + stage + " of iteration " + iteration + " is finished");
    }
    if (!fileName.endsWith(".jsonl")) {
      throw new IllegalArgumentException("partial stages write .jsonl files, got " + fileName);
    }
    Path dir = createIterationDirectory(iteration);
    Path finalFile = dir.resolve(fileName);
    Path partial = dir.resolve(partialName(fileName));
    try {
      if (Files.exists(finalFile)) {
        if (Files.exists(partial)) {
          Files.delete(finalFile);
        } else {
          LOG.info("taking back {} as the partial file of unrecorded stage {}", finalFile, stage);
          AtomicFiles.move(finalFile, partial);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + partial + ": " + e.getMessage(), e);
    }
    List<T> done = JsonlReader.recover(partial, type);
    return new PartialStage<>(this, iteration, stage, partial, finalFile, done);
  }

  /**
   * Writes a stage's complete JSON Lines file atomically and records the stage.
   *
   * @param iteration the started iteration
   * @param stage the stage key
   * @param fileName the file name in the iteration directory
   * @param values the records, one per line
   * @return the stage record
   */
  public StageRecord writeStage(int iteration, String stage, String fileName, List<?> values) {
    requireStarted(iteration);
    Path file = createIterationDirectory(iteration).resolve(fileName);
    JsonlWriter.writeAll(file, values);
    return recordStage(iteration, stage, file, values.size());
  }

  /**
   * Writes a stage's single JSON document atomically and records the stage (count 1).
   *
   * @param iteration the started iteration
   * @param stage the stage key
   * @param fileName the file name in the iteration directory
   * @param value the document
   * @return the stage record
   */
  public StageRecord writeStageJson(int iteration, String stage, String fileName, Object value) {
    requireStarted(iteration);
    Path file = createIterationDirectory(iteration).resolve(fileName);
    Json.write(file, value);
    return recordStage(iteration, stage, file, 1);
  }

  /**
   * Records a stage that finished without producing a file (count 0).
   *
   * @param iteration the started iteration
   * @param stage the stage key
   * @return the stage record
   */
  public StageRecord recordEmptyStage(int iteration, String stage) {
    requireStarted(iteration);
    StageRecord rec = new StageRecord("", 0, "");
    updateIteration(iteration, r -> r.withStage(stage, rec));
    return rec;
  }

  /**
   * Reads a finished stage's JSON Lines file, checking its SHA-256 against the manifest.
   *
   * @param iteration the iteration
   * @param stage the stage key
   * @param type the type of a line
   * @param <T> the line type
   * @return the records (empty for a stage without a file)
   * @throws IllegalStateException when the stage is not finished
   * @throws InvalidInputException naming the file when it was changed after it was recorded or
   *     a line is malformed
   */
  public <T> List<T> readStage(int iteration, String stage, Class<T> type) {
    Path file = verifiedFile(iteration, stage);
    return file == null ? List.of() : JsonlReader.readAll(file, type);
  }

  /**
   * Reads a finished stage's single JSON document, checking its SHA-256 against the manifest.
   *
   * @param iteration the iteration
   * @param stage the stage key
   * @param type the document type
   * @param <T> the type
   * @return the document
   * @throws IllegalStateException when the stage is not finished or has no file
   * @throws InvalidInputException naming the file when it was changed or is malformed
   */
  public <T> T readStageJson(int iteration, String stage, Class<T> type) {
    Path file = verifiedFile(iteration, stage);
    if (file == null) {
      throw new IllegalStateException("stage " + stage + " of iteration " + iteration + " has no file");
    }
    return Json.read(file, type);
  }

  /**
   * Returns the path of a finished stage's file after checking its SHA-256.
   *
   * @param iteration the iteration
   * @param stage the stage key
   * @return the file, or null when the stage produced none
   */
  private Path verifiedFile(int iteration, String stage) {
    StageRecord rec = stage(iteration, stage).orElseThrow(() -> new IllegalStateException(
        "stage " + stage + " of iteration " + iteration + " is not finished"));
    if (!rec.hasFile()) {
      return null;
    }
    Path file = iterationDirectory(iteration).resolve(rec.file());
    if (!Files.exists(file)) {
      throw new InvalidInputException(
          "stage file " + file + " is recorded in the manifest but missing; restore it or start a "
              + "new run directory");
    }
    String sha = AtomicFiles.sha256(file);
    if (!sha.equals(rec.sha256())) {
      throw new InvalidInputException(
          "stage file " + file + " was changed after it was written (sha256 " + sha
              + ", manifest says " + rec.sha256() + ")");
    }
    return file;
  }

  /**
   * Records the checkpoints training wrote, or that training was skipped.
   *
   * @param iteration the started iteration
   * @param checkpoints the checkpoints, oldest first (empty when skipped)
   * @param skipped whether training was skipped
   */
  public void recordTraining(int iteration, List<Checkpoint> checkpoints, boolean skipped) {
    List<Checkpoint> rel = checkpoints.stream().map(this::relativize).toList();
    updateIteration(iteration, r -> r.withTraining(rel, skipped));
  }

  /**
   * Records the checkpoint selected as the next policy.
   *
   * @param iteration the started iteration
   * @param checkpoint the selected checkpoint
   */
  public void recordSelected(int iteration, Checkpoint checkpoint) {
    Checkpoint rel = relativize(checkpoint);
    updateIteration(iteration, r -> r.withSelected(rel));
  }

  /**
   * Records an iteration's summary and marks it finished.
   *
   * @param iteration the next unfinished iteration
   * @param summary the loop's summary as a JSON tree
   * @throws IllegalStateException when an earlier iteration is unfinished
   */
  public void finishIteration(int iteration, JsonNode summary) {
    requireStarted(iteration);
    if (iteration != manifest.iterationsFinished() + 1) {
      throw new IllegalStateException("iteration " + iteration + " cannot finish after "
          + manifest.iterationsFinished() + " finished iterations");
    }
    List<IterationRecord> its = new ArrayList<>(manifest.iterations());
    its.set(iteration - 1, its.get(iteration - 1).withSummary(summary));
    setManifest(new RunManifest(manifest.format(), manifest.runId(), manifest.config(),
        manifest.provenance(), iteration, its));
  }

  /**
   * Returns a checkpoint whose path is relative to the run directory when it lies inside it, and
   * absolute otherwise (a relative path outside the run directory would be read back against the
   * run directory by {@link #resolve(Checkpoint)}).
   *
   * @param checkpoint the checkpoint
   * @return the checkpoint with a run-relative or absolute path
   */
  public Checkpoint relativize(Checkpoint checkpoint) {
    Path abs = checkpoint.directory().toAbsolutePath().normalize();
    if (abs.startsWith(root)) {
      return new Checkpoint(checkpoint.id(), root.relativize(abs));
    }
    return new Checkpoint(checkpoint.id(), abs);
  }

  /**
   * Returns a checkpoint whose relative path is resolved against the run directory.
   *
   * @param checkpoint the checkpoint as stored
   * @return the checkpoint with an absolute path
   */
  public Checkpoint resolve(Checkpoint checkpoint) {
    if (checkpoint.directory().isAbsolute()) {
      return checkpoint;
    }
    return new Checkpoint(checkpoint.id(), root.resolve(checkpoint.directory()).normalize());
  }

  StageRecord recordStage(int iteration, String stage, Path file, int count) {
    StageRecord rec = new StageRecord(file.getFileName().toString(), count, AtomicFiles.sha256(file));
    updateIteration(iteration, r -> r.withStage(stage, rec));
    return rec;
  }

  static String partialName(String fileName) {
    return fileName.substring(0, fileName.length() - ".jsonl".length()) + ".partial.jsonl";
  }

  private Path createIterationDirectory(int iteration) {
    Path dir = iterationDirectory(iteration);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    return dir;
  }

  private void requireStarted(int iteration) {
    if (iteration < 1 || iteration > manifest.iterations().size()) {
      throw new IllegalStateException("iteration " + iteration + " has not started");
    }
  }

  private void updateIteration(int iteration, UnaryOperator<IterationRecord> change) {
    requireStarted(iteration);
    List<IterationRecord> its = new ArrayList<>(manifest.iterations());
    its.set(iteration - 1, change.apply(its.get(iteration - 1)));
    setManifest(new RunManifest(manifest.format(), manifest.runId(), manifest.config(),
        manifest.provenance(), manifest.iterationsFinished(), its));
  }

  private void setManifest(RunManifest next) {
    RunManifest previous = manifest;
    manifest = next;
    try {
      saveManifest();
    } catch (RuntimeException e) {
      manifest = previous;
      throw e;
    }
  }

  private void saveManifest() {
    Json.write(root.resolve(MANIFEST), manifest);
  }

  private boolean sameCheckpoint(Checkpoint a, Checkpoint b) {
    return a.id().equals(b.id())
        && a.directory().toAbsolutePath().normalize().equals(
            b.directory().toAbsolutePath().normalize());
  }

  private static JsonNode normalize(JsonNode config) {
    try {
      return Json.reader().readTree(Json.toJson(config));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InvalidInputException("configuration snapshot is not valid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Removes temporary siblings of interrupted writes: those of the manifest in the root, and any
   * under the iteration directories (stage files, the trainer's files and checkpoint directories).
   * Nothing else of the directory is touched.
   */
  private static void removeLeftovers(Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    List<Path> entries;
    try (java.util.stream.Stream<Path> s = Files.list(root)) {
      entries = s.toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list run directory " + root + ": " + e.getMessage(), e);
    }
    for (Path p : entries) {
      String name = p.getFileName().toString();
      if (name.startsWith("iter-") && Files.isDirectory(p)) {
        AtomicFiles.removeLeftovers(p);
      } else if (AtomicFiles.isTemporaryName(p) && Files.isRegularFile(p)) {
        try {
          Files.delete(p);
          LOG.info("removed {}, left by an interrupted write", p);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot remove " + p + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /** Lists the dotted paths of the fields in which two configuration snapshots differ. */
  static List<String> differingFields(JsonNode a, JsonNode b) {
    List<String> diff = new ArrayList<>();
    collectDifferences("", a, b, diff);
    return diff;
  }

  private static void collectDifferences(String path, JsonNode a, JsonNode b, List<String> out) {
    if (a.equals(b)) {
      return;
    }
    if (a.isObject() && b.isObject()) {
      java.util.Set<String> names = new java.util.LinkedHashSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String f : names) {
        String p = path.isEmpty() ? f : path + "." + f;
        if (!a.has(f) || !b.has(f)) {
          out.add(p);
        } else {
          collectDifferences(p, a.get(f), b.get(f), out);
        }
      }
      return;
    }
    out.add(path.isEmpty() ? "the whole snapshot" : path);
  }
}
