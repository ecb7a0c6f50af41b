/**
 * Storage for alignment runs: the SDK's configured JSON mapper ({@link org.rlaifv.core.io.Json}),
 * JSON Lines reading and writing with line-numbered errors, atomic file writes, the run directory
 * with its manifest and resumable stage files, and preference-pair export.
 *
 * <p>Every file a stage produces is written to a temporary file in the same directory, forced to
 * disk and atomically renamed, so a crash never leaves a half-written stage file behind. Images are
 * never serialized inline into run files; prompts are referenced by id.
 *
 * <p>Parameters and return values are non-null unless a method says otherwise.
 */
package org.rlaifv.core.io;
