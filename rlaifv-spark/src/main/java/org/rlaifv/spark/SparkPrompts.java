package org.rlaifv.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.core.io.PromptFiles;

/**
 * Prompts as a Spark {@link Dataset}, in the RLAIF-V dataset's layout: {@code idx} (the prompt
 * id), {@code image} (a struct of encoded {@code bytes} and a {@code path}, as Hugging Face
 * datasets store images) and {@code question}. Read from the RLAIF-V dataset's Parquet files, from
 * the SDK's JSON Lines prompt files or from a Java list, and turned into the loop's prompts with
 * {@link #collect}.
 *
 * <pre>{@code
 * Dataset<Row> ds = SparkPrompts.fromRlaifvParquet(spark, "hdfs:///data/RLAIF-V-Dataset/*.parquet");
 * List<Prompt> prompts = SparkPrompts.collect(ds, Path.of("/shared/images"));
 * loop.run(prompts);
 * }</pre>
 *
 * <p>The loop runs on the driver over a list of prompts; {@link #collect} brings the prompts
 * there (the images are decoded on the driver, with {@link Image}'s size limits). The stage runner
 * then ships each pending prompt's pixels to the executors.
 */
public final class SparkPrompts {

  /** An image column as Hugging Face datasets store it: encoded {@code bytes} and a {@code path}. */
  public static final StructType IMAGE = new StructType()
      .add("bytes", DataTypes.BinaryType, true)
      .add("path", DataTypes.StringType, true);

  /** The schema of a prompt dataset. */
  public static final StructType SCHEMA = new StructType()
      .add("idx", DataTypes.StringType, false)
      .add("image", IMAGE, false)
      .add("question", DataTypes.StringType, false);

  private SparkPrompts() {}

  /**
   * Makes a dataset of prompts, with each image stored as PNG bytes.
   *
   * @param spark the session
   * @param prompts the prompts
   * @return the dataset, in list order
   */
  public static Dataset<Row> fromList(SparkSession spark, List<Prompt> prompts) {
    List<Row> rows = new ArrayList<>(prompts.size());
    for (Prompt p : prompts) {
      rows.add(RowFactory.create(p.id(),
          RowFactory.create(Png.encode(p.image()), p.id() + ".png"), p.text()));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /**
   * Reads one of the SDK's JSON Lines prompt files ({@link PromptFiles}: {@code {"id", "image",
   * "text"}}, image paths relative to the file) into a dataset. The file is read on the driver,
   * with {@link PromptFiles#read}'s checks.
   *
   * @param spark the session
   * @param file the prompt file
   * @return the dataset, in file order
   * @throws InvalidInputException naming the file and line of a bad line or image
   */
  public static Dataset<Row> fromJsonl(SparkSession spark, Path file) {
    return fromList(spark, PromptFiles.read(file));
  }

  /**
   * Reads Parquet files in the RLAIF-V dataset's layout (as {@code openbmb/RLAIF-V-Dataset} and
   * {@link SparkPairs#writeParquet} write it): the prompt id is the {@code idx} column (cast to a
   * string), the image the {@code image} struct, the text the {@code question}; other columns
   * ({@code chosen}, {@code rejected}, {@code ds_name}, ...) are ignored. Rows with the same
   * {@code idx} are one prompt (the dataset holds several pairs per prompt): the first is kept.
   *
   * @param spark the session
   * @param path the Parquet file or directory (any path Spark reads: local, HDFS, S3)
   * @return the dataset
   * @throws InvalidInputException when a column is missing, naming it
   */
  public static Dataset<Row> fromRlaifvParquet(SparkSession spark, String path) {
    Dataset<Row> raw = spark.read().parquet(path);
    Set<String> columns = new HashSet<>(Arrays.asList(raw.columns()));
    for (String c : List.of("idx", "image", "question")) {
      if (!columns.contains(c)) {
        throw new InvalidInputException("Parquet " + path + " has no column '" + c
            + "' (columns: " + String.join(", ", raw.columns()) + "); the RLAIF-V layout has idx, "
            + "image {bytes, path} and question");
      }
    }
    return raw.select(col("idx").cast(DataTypes.StringType).as("idx"),
            col("image").getField("bytes").as("bytes"), col("image").getField("path").as("path"),
            col("question"))
        .dropDuplicates(new String[] {"idx"})
        .selectExpr("idx", "named_struct('bytes', bytes, 'path', path) as image", "question");
  }

  /**
   * Brings a prompt dataset to the driver as the loop's prompts, ordered by id. An image's
   * {@code bytes} are decoded when present; otherwise its {@code path} is read relative to {@code
   * imageRoot}, which it may not leave.
   *
   * @param prompts a dataset with the columns of {@link #SCHEMA}
   * @param imageRoot where relative image paths are resolved; may not be left
   * @return the prompts, ordered by id
   * @throws InvalidInputException naming the prompt whose image is missing, cannot be decoded or
   *     lies outside {@code imageRoot}, or whose id or question is empty
   */
  public static List<Prompt> collect(Dataset<Row> prompts, Path imageRoot) {
    Path root = imageRoot.toAbsolutePath().normalize();
    List<Prompt> out = new ArrayList<>();
    for (Row r : prompts.orderBy("idx").collectAsList()) {
      String id = r.getAs("idx");
      Row image = r.getAs("image");
      String where = "prompt " + id;
      if (id == null || image == null) {
        throw new InvalidInputException("a prompt row has no idx or no image: " + r);
      }
      byte[] bytes = image.getAs("bytes");
      String path = image.getAs("path");
      Image img;
      if (bytes != null) {
        img = Image.fromBytes(bytes, where);
      } else if (path != null) {
        img = Image.fromFile(inside(root, path, where));
      } else {
        throw new InvalidInputException(where + " has neither image bytes nor an image path");
      }
      String question = r.getAs("question");
      out.add(new Prompt(id, img, question == null ? "" : question));
    }
    return out;
  }

  /** Resolves an image path inside the root, following links, or refuses it. */
  private static Path inside(Path root, String path, String where) {
    Path p = root.resolve(path).normalize();
    try {
      if (!p.startsWith(root) || !p.toRealPath().startsWith(root.toRealPath())) {
        throw new InvalidInputException(where + ": image path '" + path + "' leaves " + root);
      }
    } catch (IOException e) {
      throw new InvalidInputException(where + ": cannot read image '" + path + "' under " + root
          + ": " + e.getMessage(), e);
    }
    if (!Files.isRegularFile(p)) {
      throw new InvalidInputException(where + ": image '" + path + "' is not a file");
    }
    return p;
  }
}
