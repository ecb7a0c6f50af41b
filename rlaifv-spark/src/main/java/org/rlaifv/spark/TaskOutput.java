package org.rlaifv.spark;

import java.io.Serializable;

/**
 * One prompt's record as it comes back from an executor.
 *
 * @param index the position in the stage's pending prompts
 * @param record the record as JSON (a line of the stage file)
 * @param role the provenance of the role that computed it, as JSON
 */
record TaskOutput(int index, String record, String role) implements Serializable {
  private static final long serialVersionUID = 1L;
}
