package org.rlaifv.core.io;

import org.rlaifv.InvalidInputException;

/**
 * The manifest entry of a finished stage: the file it produced, how many records it holds, and the
 * file's SHA-256 (checked when the stage is read back on resume).
 *
 * @param file the stage file's name inside the iteration directory, or empty when the stage
 *     produced no file (training skipped for want of pairs)
 * @param count records in the file (lines for JSON Lines files)
 * @param sha256 hex SHA-256 of the file, or empty when there is no file
 */
public record StageRecord(String file, int count, String sha256) {
  /**
   * Validates the fields.
   *
   * @throws InvalidInputException when the count is negative or a file has no digest
   */
  public StageRecord {
    java.util.Objects.requireNonNull(file, "file");
    java.util.Objects.requireNonNull(sha256, "sha256");
    if (count < 0) {
      throw new InvalidInputException("stage record count must be >= 0, got " + count);
    }
    if (!file.isEmpty() && sha256.length() != 64) {
      throw new InvalidInputException("stage file " + file + " needs a 64-hex-digit sha256");
    }
    if (file.contains("/") || file.contains("\\") || file.equals("..")) {
      throw new InvalidInputException("stage file must be a plain file name, got " + file);
    }
  }

  /**
   * Returns whether the stage produced a file.
   *
   * @return true when {@link #file()} is not empty
   */
  public boolean hasFile() {
    return !file.isEmpty();
  }
}
