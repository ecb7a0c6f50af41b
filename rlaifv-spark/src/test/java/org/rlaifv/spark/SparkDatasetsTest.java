package org.rlaifv.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarQuestion;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;
import org.rlaifv.core.io.PromptFiles;

/** Prompt datasets from lists, prompt files and RLAIF-V Parquet; pairs written as RLAIF-V Parquet. */
class SparkDatasetsTest {
  private static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    spark = TestSpark.local(2);
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static List<Prompt> sorted(List<Prompt> ps) {
    return ps.stream().sorted(Comparator.comparing(Prompt::id)).toList();
  }

  @Test
  void aListAndAPromptFileComeBackAsTheSamePrompts() {
    List<Prompt> prompts = ShapesRuns.prompts(5);
    assertEquals(sorted(prompts),
        SparkPrompts.collect(SparkPrompts.fromList(spark, prompts), tmp));
    Path file = tmp.resolve("prompts.jsonl");
    PromptFiles.write(file, prompts);
    Dataset<Row> ds = SparkPrompts.fromJsonl(spark, file);
    assertEquals(SparkPrompts.SCHEMA, ds.schema());
    assertEquals(sorted(prompts), SparkPrompts.collect(ds, tmp));
  }

  @Test
  void pairsAreWrittenInTheRlaifvLayoutAndReadBackAsPrompts() {
    List<Prompt> prompts = ShapesRuns.prompts(3);
    List<PreferencePair> pairs = List.of(
        pair(prompts.get(0), "there is a red circle.", 0, "there is a blue cross.", -1),
        pair(prompts.get(0), "there is a red circle.", 0, "there is a green square.", -1),
        pair(prompts.get(2), "a yellow triangle.", -1, "nothing.", Integer.MIN_VALUE));
    String out = tmp.resolve("pairs.parquet").toString();
    SparkPairs.writeParquet(spark, pairs, out, "test");

    Dataset<Row> back = spark.read().parquet(out).orderBy("idx");
    assertEquals(List.of("ds_name", "image", "question", "chosen", "rejected", "origin_dataset",
        "origin_split", "idx", "image_path", "prompt_id", "chosen_score", "rejected_score"),
        List.of(back.columns()));
    List<Row> rows = back.collectAsList();
    assertEquals(3, rows.size());
    Row first = rows.get(0);
    assertEquals("there is a red circle.", first.getAs("chosen"));
    assertEquals("there is a blue cross.", first.getAs("rejected"));
    assertEquals(prompts.get(0).text(), first.getAs("question"));
    assertEquals(0.0, (Double) first.getAs("chosen_score"));
    Row image = first.getAs("image");
    assertEquals(prompts.get(0).image(), Image.fromBytes(image.getAs("bytes"), "pair 0"));
    assertNull(rows.get(2).getAs("rejected_score"), "an unscored response has no score");

    // The same file is a prompt source: one prompt per idx.
    Dataset<Row> asPrompts = spark.read().parquet(out)
        .withColumn("idx", org.apache.spark.sql.functions.col("prompt_id"));
    String reindexed = tmp.resolve("by-prompt.parquet").toString();
    asPrompts.write().parquet(reindexed);
    List<Prompt> read = SparkPrompts.collect(SparkPrompts.fromRlaifvParquet(spark, reindexed), tmp);
    assertEquals(sorted(List.of(prompts.get(0), prompts.get(2))), read);
  }

  @Test
  void imagePathsAreReadInsideTheRootOnly() throws Exception {
    Prompt p = ShapesRuns.prompts(1).get(0);
    Files.createDirectories(tmp.resolve("root/img"));
    p.image().writePng(tmp.resolve("root/img/a.png"));
    p.image().writePng(tmp.resolve("outside.png"));
    Dataset<Row> ok = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("a",
        org.apache.spark.sql.RowFactory.create(null, "img/a.png"), "describe.")),
        SparkPrompts.SCHEMA);
    assertEquals(p.image(), SparkPrompts.collect(ok, tmp.resolve("root")).get(0).image());
    Dataset<Row> escaping = spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(
        "b", org.apache.spark.sql.RowFactory.create(null, "../outside.png"), "describe.")),
        SparkPrompts.SCHEMA);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> SparkPrompts.collect(escaping, tmp.resolve("root")));
    assertTrue(e.getMessage().contains("prompt b"), e.getMessage());
    Dataset<Row> noColumn = spark.createDataFrame(List.of(), new org.apache.spark.sql.types
        .StructType().add("question", org.apache.spark.sql.types.DataTypes.StringType));
    noColumn.write().parquet(tmp.resolve("bad.parquet").toString());
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> SparkPrompts.fromRlaifvParquet(spark, tmp.resolve("bad.parquet").toString()));
    assertTrue(missing.getMessage().contains("'idx'"), missing.getMessage());
  }

  private static PreferencePair pair(Prompt p, String chosen, int chosenScore, String rejected,
      int rejectedScore) {
    return new PreferencePair(p, scored(p, chosen, 0, chosenScore),
        scored(p, rejected, 1, rejectedScore));
  }

  /** A response with {@code -score} rejected claims, or none at all for MIN_VALUE. */
  private static ScoredResponse scored(Prompt p, String text, int index, int score) {
    Response r = new Response(p.id(), index, text, index, 3);
    if (score == Integer.MIN_VALUE) {
      return new ScoredResponse(r, List.of());
    }
    List<ClaimVerdict> verdicts = new java.util.ArrayList<>();
    for (int i = 0; i < -score; i++) {
      verdicts.add(new ClaimVerdict(new PolarQuestion(new Claim("c" + i), "q" + i + "?"), 0.1,
          0.9, false));
    }
    verdicts.add(new ClaimVerdict(new PolarQuestion(new Claim("ok"), "ok?"), 0.9, 0.1, false));
    return new ScoredResponse(r, verdicts);
  }
}
