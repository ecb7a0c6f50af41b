package org.rlaifv.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import org.rlaifv.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads JSON Lines files: one JSON document per line, blank lines ignored.
 *
 * <p>A line that is not valid JSON, exceeds {@link #MAX_LINE_BYTES}, or does not match the target
 * type throws {@link InvalidInputException} naming the file and the 1-based line number.
 *
 * <pre>{@code
 * List<Response> responses = JsonlReader.readAll(file, Response.class);
 * }</pre>
 */
public final class JsonlReader {
  private static final Logger LOG = LoggerFactory.getLogger(JsonlReader.class);

  /** Longest line accepted, in bytes (16 MiB). */
  public static final int MAX_LINE_BYTES = 16 << 20;

  private JsonlReader() {}

  /**
   * Reads every line of a file.
   *
   * @param file the file
   * @param type the type of each line
   * @param <T> the type
   * @return the values, in file order
   * @throws InvalidInputException naming the file and line of the first bad line, or the file when
   *     it cannot be read
   */
  public static <T> List<T> readAll(Path file, Class<T> type) {
    List<T> out = new ArrayList<>();
    forEach(file, type, out::add);
    return out;
  }

  /**
   * Streams every line of a file to a consumer.
   *
   * @param file the file
   * @param type the type of each line
   * @param consumer receives each value in file order
   * @param <T> the type
   * @throws InvalidInputException naming the file and line of the first bad line
   */
  public static <T> void forEach(Path file, Class<T> type, Consumer<? super T> consumer) {
    forEachLine(file, type, (value, line) -> consumer.accept(value));
  }

  /**
   * Streams every non-blank line of a file to a consumer, with its 1-based line number in the file
   * (blank lines count), so that the consumer's own errors can name the line.
   *
   * @param file the file
   * @param type the type of each line
   * @param consumer receives each value and its line number, in file order
   * @param <T> the type
   * @throws InvalidInputException naming the file and line of the first bad line
   */
  public static <T> void forEachLine(
      Path file, Class<T> type, ObjLongConsumer<? super T> consumer) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      LineSource src = new LineSource(file, in);
      Line line;
      while ((line = src.next()) != null) {
        if (!line.blank()) {
          consumer.accept(parse(file, line, type), line.number());
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a file that is being appended to by a process that may have crashed, and repairs it.
   *
   * <p>Every complete line is kept. A last line that is not terminated by a line break, or that
   * does not parse, is what a crash mid-write leaves: it is dropped, the file is truncated to the
   * end of the last good line, and a warning is logged. A bad line before the last one is
   * corruption, not a crash, and throws.
   *
   * @param file the file; a missing file reads as empty
   * @param type the type of each line
   * @param <T> the type
   * @return the values of the complete lines
   * @throws InvalidInputException naming the file and line of a bad line that is not the last
   */
  public static <T> List<T> recover(Path file, Class<T> type) {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<T> out = new ArrayList<>();
    long goodEnd = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      LineSource src = new LineSource(file, in);
      Line line;
      Line pending = null;
      while ((line = src.next()) != null) {
        if (pending != null) {
          // A line follows, so the pending one was not the last: a failure there is corruption.
          out.add(parse(file, pending, type));
          goodEnd = pending.end();
          pending = null;
        }
        if (line.blank()) {
          if (line.terminated()) {
            goodEnd = line.end();
          }
          continue;
        }
        pending = line;
      }
      if (pending != null) {
        T last = null;
        if (pending.terminated()) {
          try {
            last = parse(file, pending, type);
          } catch (InvalidInputException e) {
            LOG.warn("dropping malformed last line {} of {} (left by an interrupted write): {}",
                pending.number(), file, e.getMessage());
          }
        } else {
          LOG.warn("dropping unterminated last line {} of {} (left by an interrupted write)",
              pending.number(), file);
        }
        if (last != null) {
          out.add(last);
          goodEnd = pending.end();
        }
      }
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
    truncate(file, goodEnd);
    return out;
  }

  private static void truncate(Path file, long length) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      if (ch.size() > length) {
        ch.truncate(length);
        ch.force(true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot truncate " + file + ": " + e.getMessage(), e);
    }
  }

  private static <T> T parse(Path file, Line line, Class<T> type) {
    try {
      return Json.readStrict(line.bytes(), type);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          file + " line " + line.number() + ": malformed " + type.getSimpleName() + ": "
              + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidInputException(file + " line " + line.number() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new InvalidInputException(
          file + " line " + line.number() + ": invalid " + type.getSimpleName() + ": "
              + e.getMessage(), e);
    }
  }

  private record Line(byte[] bytes, long number, long end, boolean terminated) {
    boolean blank() {
      for (byte b : bytes) {
        if (b != ' ' && b != '\t' && b != '\r') {
          return false;
        }
      }
      return true;
    }
  }

  private static final class LineSource {
    private final Path file;
    private final InputStream in;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    private long offset;
    private long number;
    private boolean eof;

    LineSource(Path file, InputStream in) {
      this.file = file;
      this.in = in;
    }

    Line next() throws IOException {
      if (eof) {
        return null;
      }
      buf.reset();
      number++;
      int b;
      while ((b = in.read()) >= 0) {
        offset++;
        if (b == '\n') {
          return new Line(buf.toByteArray(), number, offset, true);
        }
        if (buf.size() >= MAX_LINE_BYTES) {
          throw new InvalidInputException(
              file + " line " + number + " is longer than " + MAX_LINE_BYTES + " bytes");
        }
        buf.write(b);
      }
      eof = true;
      if (buf.size() == 0) {
        return null;
      }
      return new Line(buf.toByteArray(), number, offset, false);
    }
  }
}
