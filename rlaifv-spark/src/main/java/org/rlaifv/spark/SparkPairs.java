package org.rlaifv.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.rlaifv.PreferencePair;
import org.rlaifv.ScoredResponse;

/**
 * Preference pairs as Parquet in the RLAIF-V dataset's layout, so that the reference Python
 * trainer and TRL's {@code DPOTrainer} (through Hugging Face {@code datasets}) read them: {@code
 * ds_name}, {@code image} (a struct of PNG {@code bytes} and a {@code path}), {@code question},
 * {@code chosen}, {@code rejected}, {@code origin_dataset}, {@code origin_split}, {@code idx},
 * {@code image_path}, plus the SDK's {@code prompt_id}, {@code chosen_score} and {@code
 * rejected_score} (null for a response without a score), which other readers ignore.
 *
 * <pre>{@code
 * List<PreferencePair> pairs = PairExport.readRunPairs(run.resolve("iter-1/pairs.jsonl"), prompts);
 * SparkPairs.writeParquet(spark, pairs, "run/iter-1/pairs.parquet", "shapes-iter-1");
 * }</pre>
 */
public final class SparkPairs {

  /** The schema of a pairs dataset. */
  public static final StructType SCHEMA = new StructType()
      .add("ds_name", DataTypes.StringType, false)
      .add("image", SparkPrompts.IMAGE, false)
      .add("question", DataTypes.StringType, false)
      .add("chosen", DataTypes.StringType, false)
      .add("rejected", DataTypes.StringType, false)
      .add("origin_dataset", DataTypes.StringType, false)
      .add("origin_split", DataTypes.StringType, false)
      .add("idx", DataTypes.StringType, false)
      .add("image_path", DataTypes.StringType, false)
      .add("prompt_id", DataTypes.StringType, false)
      .add("chosen_score", DataTypes.DoubleType, true)
      .add("rejected_score", DataTypes.DoubleType, true);

  private SparkPairs() {}

  /**
   * Makes a dataset of pairs in the RLAIF-V layout: {@code idx} is the pair's position, {@code
   * origin_dataset} is {@code "rlaifv-java"}, {@code image_path} names the prompt's image.
   *
   * @param spark the session
   * @param pairs the pairs
   * @param dsName the {@code ds_name} of every row (for example the run and iteration)
   * @return the dataset, in list order
   */
  public static Dataset<Row> toDataset(SparkSession spark, List<PreferencePair> pairs,
      String dsName) {
    List<Row> rows = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      PreferencePair p = pairs.get(i);
      String imagePath = p.prompt().id() + ".png";
      rows.add(RowFactory.create(dsName,
          RowFactory.create(Png.encode(p.prompt().image()), imagePath), p.prompt().text(),
          p.chosen().response().text(), p.rejected().response().text(), "rlaifv-java", "train",
          Integer.toString(i), imagePath, p.prompt().id(), score(p.chosen()),
          score(p.rejected())));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /**
   * Writes pairs as Parquet in the RLAIF-V layout (one file for a small set); an existing
   * directory at the path is replaced.
   *
   * @param spark the session
   * @param pairs the pairs
   * @param path where to write (any path Spark writes: local, HDFS, S3)
   * @param dsName the {@code ds_name} of every row
   */
  public static void writeParquet(SparkSession spark, List<PreferencePair> pairs, String path,
      String dsName) {
    toDataset(spark, pairs, dsName).coalesce(1).write().mode(SaveMode.Overwrite).parquet(path);
  }

  private static Double score(ScoredResponse r) {
    return r.scored() ? r.value() : null;
  }
}
