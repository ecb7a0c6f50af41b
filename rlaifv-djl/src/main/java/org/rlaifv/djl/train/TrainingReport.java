package org.rlaifv.djl.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.rlaifv.TrainingMetrics;

/**
 * The training report, {@code train_report.jsonl}: one JSON object per line, flushed as written,
 * {@code {"kind": "step"|"epoch", "step": .., "epoch": .., <metric>: ..}}.
 *
 * <p>Opening the report truncates an older one (a rerun starts training from its beginning). Not
 * thread-safe; the caller closes it.
 */
public final class TrainingReport implements AutoCloseable {
  /** The report's file name inside a training output directory. */
  public static final String FILE_NAME = "train_report.jsonl";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;
  private final BufferedWriter out;

  /**
   * Creates (or truncates) the report.
   *
   * @param file the report file
   * @throws UncheckedIOException when the file cannot be created
   */
  public TrainingReport(Path file) {
    this.file = file;
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create training report " + file, e);
    }
  }

  /**
   * Appends one line for a step's metrics.
   *
   * @param metrics the metrics
   */
  public void step(TrainingMetrics metrics) {
    write("step", metrics);
  }

  /**
   * Appends one line for an epoch's mean metrics.
   *
   * @param metrics the metrics
   */
  public void epoch(TrainingMetrics metrics) {
    write("epoch", metrics);
  }

  private void write(String kind, TrainingMetrics metrics) {
    ObjectNode line = JSON.createObjectNode();
    line.put("kind", kind);
    line.put("step", metrics.step());
    line.put("epoch", metrics.epoch());
    for (Map.Entry<String, Double> e : metrics.values().entrySet()) {
      double v = e.getValue();
      if (Double.isFinite(v)) {
        line.put(e.getKey(), v);
      } else {
        line.put(e.getKey(), Double.toString(v));
      }
    }
    try {
      out.write(JSON.writeValueAsString(line));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write training report " + file, e);
    }
  }

  /** Closes the file. */
  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close training report " + file, e);
    }
  }
}
