package org.rlaifv.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.InvalidInputException;
import org.rlaifv.core.io.PromptFiles;

/**
 * The {@code spark-submit} program on {@code local[2]}: a ShapesWorld iteration from a prompt file,
 * with the pairs also written as RLAIF-V Parquet.
 */
class SparkAlignTest {

  @TempDir Path tmp;

  @Test
  void oneIterationWritesTheRunAndItsPairsAsParquet() throws Exception {
    Path prompts = tmp.resolve("data/prompts.jsonl");
    Files.createDirectories(prompts.getParent());
    PromptFiles.write(prompts, ShapesRuns.prompts(4));
    Path run = tmp.resolve("run");
    Path models = ShapesRuns.models();
    // What spark-submit would pass as configuration.
    Map<String, String> conf = Map.of("spark.master", "local[2]", "spark.ui.enabled", "false",
        "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1",
        "spark.plugins", RolesPlugin.NAME);
    conf.forEach(System::setProperty);
    try {
      SparkAlign.main(new String[] {"--policy", models.resolve("shapes-policy").toString(),
          "--labeler", models.resolve("shapes-labeler").toString(), "--prompts",
          prompts.toString(), "--out", run.toString(), "--n", "4", "--max-new-tokens", "48",
          "--seed", "3"});
      long pairs = Files.readAllLines(run.resolve("iter-1/pairs.jsonl")).stream()
          .filter(l -> !l.isBlank()).count();
      assertTrue(Files.exists(run.resolve("iter-1/selected.json")));
      SparkSession spark = TestSpark.local(1);
      try {
        assertEquals(pairs, spark.read().parquet(run.resolve("iter-1/pairs.parquet").toString())
            .count());
      } finally {
        spark.stop();
      }
    } finally {
      conf.keySet().forEach(System::clearProperty);
    }
  }

  @Test
  void anUnknownOptionIsNamed() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> SparkAlign.main(new String[] {"--policy", "p", "--labelr", "l"}));
    assertTrue(e.getMessage().contains("--labelr"), e.getMessage());
  }
}
