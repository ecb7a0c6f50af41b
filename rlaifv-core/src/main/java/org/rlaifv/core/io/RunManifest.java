package org.rlaifv.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.rlaifv.InvalidInputException;

/**
 * The content of a run directory's {@code manifest.json}: which run it is, the configuration that
 * made it, provenance, and per iteration the stages finished.
 *
 * @param format the manifest format version ({@link #FORMAT})
 * @param runId the run id, recorded in every pair's provenance
 * @param config the configuration snapshot; a resumed run must present the same one
 * @param provenance free-form facts about the run (creation time, Java version, model ids)
 * @param iterationsFinished number of iterations completely finished
 * @param iterations one record per started iteration, in order
 */
public record RunManifest(
    int format,
    String runId,
    JsonNode config,
    Map<String, String> provenance,
    int iterationsFinished,
    List<IterationRecord> iterations) {

  /** The manifest format this version writes and reads. */
  public static final int FORMAT = 1;

  /**
   * Validates the fields.
   *
   * @throws InvalidInputException when the format is unknown or the iterations are out of order
   */
  public RunManifest {
    if (format != FORMAT) {
      throw new InvalidInputException(
          "manifest format " + format + " is not supported (this version reads " + FORMAT + ")");
    }
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(config, "config");
    provenance = java.util.Collections.unmodifiableMap(new TreeMap<>(provenance));
    iterations = List.copyOf(iterations);
    for (int i = 0; i < iterations.size(); i++) {
      if (iterations.get(i).iteration() != i + 1) {
        throw new InvalidInputException(
            "manifest of run " + runId + " lists iteration " + iterations.get(i).iteration()
                + " at position " + (i + 1));
      }
    }
    if (iterationsFinished < 0 || iterationsFinished > iterations.size()) {
      throw new InvalidInputException(
          "manifest of run " + runId + " says " + iterationsFinished + " iterations finished but lists "
              + iterations.size());
    }
  }
}
