package org.rlaifv.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends values to a JSON Lines file, one compact JSON document per line.
 *
 * <p>Each {@link #write(Object)} issues one write of the whole line, so a crash leaves at most one
 * truncated last line, which {@link JsonlReader#recover(Path, Class)} detects and drops. Call
 * {@link #sync()} to force what was written to disk. Not thread-safe; the caller closes it.
 *
 * <pre>{@code
 * try (JsonlWriter out = JsonlWriter.append(file)) {
 *   out.write(record);
 *   out.sync();
 * }
 * }</pre>
 *
 * <p>For a complete file written at once, use {@link #writeAll(Path, List)}, which is atomic.
 */
public final class JsonlWriter implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;

  private JsonlWriter(Path file, FileChannel channel) {
    this.file = file;
    this.channel = channel;
  }

  /**
   * Opens a file for appending, creating it and its parent directories when absent.
   *
   * @param file the JSON Lines file
   * @return the writer, owned by the caller
   * @throws UncheckedIOException naming the file when it cannot be opened
   */
  public static JsonlWriter append(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      return new JsonlWriter(file, ch);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file + " for appending: " + e.getMessage(), e);
    }
  }

  /**
   * Writes one value as one line.
   *
   * @param value the value
   * @throws UncheckedIOException naming the file when the write fails
   * @throws org.rlaifv.InvalidInputException when the value cannot be serialized
   */
  public void write(Object value) {
    byte[] line = (Json.toJson(value) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      ByteBuffer buf = ByteBuffer.wrap(line);
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Forces everything written so far to disk.
   *
   * @throws UncheckedIOException naming the file when the sync fails
   */
  public void sync() {
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Closes the file (without forcing it to disk; call {@link #sync()} first where that matters).
   *
   * @throws UncheckedIOException naming the file when closing fails
   */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes a complete JSON Lines file atomically (temporary file, fsync, rename).
   *
   * @param file the file to create or replace
   * @param values the values, one per line
   * @throws UncheckedIOException naming the file when it cannot be written
   * @throws org.rlaifv.InvalidInputException when a value cannot be serialized
   */
  public static void writeAll(Path file, List<?> values) {
    List<String> lines = new ArrayList<>(values.size());
    for (Object v : values) {
      lines.add(Json.toJson(v));
    }
    AtomicFiles.write(file, lines);
  }
}
