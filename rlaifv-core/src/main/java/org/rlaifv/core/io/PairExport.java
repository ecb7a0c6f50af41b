package org.rlaifv.core.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.ScoredResponse;

/**
 * Exports preference pairs for other training stacks, and reads a run's {@code pairs.jsonl} back.
 *
 * <p>Two export styles, both JSON Lines with images written as PNG files under an {@code images/}
 * folder next to the output file and referenced by relative path (named by content hash, so an
 * image shared by several prompts is written once):
 *
 * <ul>
 *   <li>{@link #writeRlaifv RLAIF-V dataset style}: {@code idx, prompt_id, image_path, question,
 *       chosen, rejected, chosen_score, rejected_score, chosen_seed, rejected_seed, chosen_claims,
 *       rejected_claims};
 *   <li>{@link #writeTrl TRL preference style}: {@code prompt, chosen, rejected, images} (plain
 *       strings, the image list holding one path).
 * </ul>
 *
 * <pre>{@code
 * PairExport.writeRlaifv(out.resolve("rlaifv.jsonl"), pairs);
 * List<PreferencePair> again = PairExport.readRunPairs(runDir.resolve("iter-1/pairs.jsonl"), prompts);
 * }</pre>
 */
public final class PairExport {

  /** The folder, next to an export file, that holds its images. */
  public static final String IMAGES_FOLDER = "images";

  private PairExport() {}

  /**
   * Writes pairs in the RLAIF-V dataset style. A score is written as JSON null for a response
   * without one.
   *
   * @param file the JSON Lines file to create or replace (atomically)
   * @param pairs the pairs
   * @throws UncheckedIOException naming the file when it or an image cannot be written
   */
  public static void writeRlaifv(Path file, List<PreferencePair> pairs) {
    Map<String, String> images = writeImages(file, pairs);
    List<ObjectNode> rows = new ArrayList<>(pairs.size());
    for (int i = 0; i < pairs.size(); i++) {
      PreferencePair p = pairs.get(i);
      ObjectNode row = Json.objectNode();
      row.put("idx", i);
      row.put("prompt_id", p.prompt().id());
      row.put("image_path", images.get(p.prompt().id()));
      row.put("question", p.prompt().text());
      row.put("chosen", p.chosen().response().text());
      row.put("rejected", p.rejected().response().text());
      putScore(row, "chosen_score", p.chosen());
      putScore(row, "rejected_score", p.rejected());
      row.put("chosen_seed", p.chosen().response().seed());
      row.put("rejected_seed", p.rejected().response().seed());
      row.put("chosen_claims", p.chosen().verdicts().size());
      row.put("rejected_claims", p.rejected().verdicts().size());
      rows.add(row);
    }
    JsonlWriter.writeAll(file, rows);
  }

  /**
   * Writes pairs in the TRL preference style: {@code {"prompt", "chosen", "rejected", "images"}}.
   *
   * @param file the JSON Lines file to create or replace (atomically)
   * @param pairs the pairs
   * @throws UncheckedIOException naming the file when it or an image cannot be written
   */
  public static void writeTrl(Path file, List<PreferencePair> pairs) {
    Map<String, String> images = writeImages(file, pairs);
    List<ObjectNode> rows = new ArrayList<>(pairs.size());
    for (PreferencePair p : pairs) {
      ObjectNode row = Json.objectNode();
      row.put("prompt", p.prompt().text());
      row.put("chosen", p.chosen().response().text());
      row.put("rejected", p.rejected().response().text());
      ArrayNode imgs = row.putArray("images");
      imgs.add(images.get(p.prompt().id()));
      rows.add(row);
    }
    JsonlWriter.writeAll(file, rows);
  }

  /**
   * Reads the records of a run's {@code pairs.jsonl}.
   *
   * @param file the pairs file
   * @return the records, in file order
   * @throws InvalidInputException naming the file and line of a malformed line
   */
  public static List<PairRecord> readRunRecords(Path file) {
    return JsonlReader.readAll(file, PairRecord.class);
  }

  /**
   * Reads a run's {@code pairs.jsonl} and rebuilds the pairs with their prompts.
   *
   * @param file the pairs file
   * @param prompts the run's prompts (images are not stored in run files)
   * @return the pairs, in file order
   * @throws InvalidInputException naming the file and line of a malformed line or of a pair whose
   *     prompt id is not among {@code prompts}
   */
  public static List<PreferencePair> readRunPairs(Path file, List<Prompt> prompts) {
    Map<String, Prompt> byId = new HashMap<>();
    for (Prompt p : prompts) {
      byId.put(p.id(), p);
    }
    List<PreferencePair> out = new ArrayList<>();
    int[] line = {0};
    JsonlReader.forEach(file, PairRecord.class, r -> {
      line[0]++;
      if (!byId.containsKey(r.promptId())) {
        throw new InvalidInputException(
            file + ": pair " + line[0] + " refers to prompt " + r.promptId()
                + ", which is not among the given prompts");
      }
      out.add(r.toPair(byId));
    });
    return out;
  }

  private static void putScore(ObjectNode row, String field, ScoredResponse r) {
    if (r.scored() && r.isHolistic()) {
      row.put(field, r.value());
    } else if (r.scored()) {
      row.put(field, r.score());
    } else {
      row.putNull(field);
    }
  }

  /** Writes each distinct image once; returns prompt id to relative image path. */
  private static Map<String, String> writeImages(Path file, List<PreferencePair> pairs) {
    Path parent = file.toAbsolutePath().getParent();
    Path dir = parent.resolve(IMAGES_FOLDER);
    Map<String, String> byPrompt = new LinkedHashMap<>();
    Map<Image, String> written = new HashMap<>();
    try {
      Files.createDirectories(dir);
      for (PreferencePair p : pairs) {
        if (byPrompt.containsKey(p.prompt().id())) {
          continue;
        }
        Image img = p.prompt().image();
        String rel = written.get(img);
        if (rel == null) {
          String name = img.contentHash().substring(0, 24) + ".png";
          Path target = dir.resolve(name);
          if (!Files.exists(target)) {
            Path tmp = AtomicFiles.tempSibling(target);
            try {
              img.writePng(tmp);
              AtomicFiles.move(tmp, target);
            } finally {
              Files.deleteIfExists(tmp);
            }
          }
          rel = IMAGES_FOLDER + "/" + name;
          written.put(img, rel);
        }
        byPrompt.put(p.prompt().id(), rel);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write images for " + file + ": " + e.getMessage(), e);
    }
    return byPrompt;
  }
}
