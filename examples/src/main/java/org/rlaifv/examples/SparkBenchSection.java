package org.rlaifv.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.rlaifv.spark.internal.bench.SparkBench;

/**
 * {@code bench --spark}: feedback-collection throughput on a Spark standalone cluster of this
 * machine, one one-core worker versus two, written to the {@code spark} object of {@code
 * DIR/bench.json} (the file's other fields are kept).
 *
 * <pre>{@code
 * java -cp "examples/target/rlaifv.jar:$(cat rlaifv-spark/target/spark-classpath.txt)" \
 *     org.rlaifv.examples.Main bench --spark --out runs/bench
 * }</pre>
 */
final class SparkBenchSection {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SparkBenchSection() {}

  static int run(Path models, Path dir, boolean quick, PrintStream out) {
    Path file = dir.resolve("bench.json");
    try {
      Files.createDirectories(dir);
      Path work = Files.createTempDirectory("rlaifv-bench-spark");
      out.printf(Locale.ROOT, "bench --spark: starting a standalone cluster in %s%n", work);
      Map<String, Object> spark = SparkBench.measure(models, SparkBench.Settings.of(quick), work);
      ObjectNode root = Files.exists(file)
          ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
      root.set("spark", JSON.valueToTree(spark));
      JSON.writeValue(file.toFile(), root);
      out.printf(Locale.ROOT, "bench --spark: one worker %.2f prompts/s, two workers %.2f "
          + "prompts/s, speed-up %.2fx; wrote %s%n",
          ((Number) spark.get("one_worker_prompts_per_s")).doubleValue(),
          ((Number) spark.get("two_workers_prompts_per_s")).doubleValue(),
          ((Number) spark.get("speedup")).doubleValue(), file);
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
