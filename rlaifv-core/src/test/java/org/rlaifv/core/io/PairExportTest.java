package org.rlaifv.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

class PairExportTest {

  @TempDir Path tmp;

  private static ScoredResponse scored(String promptId, int index, String text, int rejected) {
    PolarQuestion q = new PolarQuestion(new Claim("c."), "c?");
    List<ClaimVerdict> vs = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      boolean rej = i < rejected;
      vs.add(new ClaimVerdict(q, rej ? 0.1 : 0.9, rej ? 0.9 : 0.1, false));
    }
    return new ScoredResponse(new Response(promptId, index, text, 100 + index, 0), vs);
  }

  private static Image image(int v) {
    byte[] px = new byte[2 * 2 * 3];
    java.util.Arrays.fill(px, (byte) v);
    return new Image(2, 2, px);
  }

  private final Prompt p1 = new Prompt("a/../b", image(10), "describe the image.");
  private final Prompt p2 = new Prompt("p2", image(10), "what is shown?");
  private final List<PreferencePair> pairs = List.of(
      new PreferencePair(p1, scored(p1.id(), 0, "good.", 0), scored(p1.id(), 1, "bad.", 2)),
      new PreferencePair(p2, scored(p2.id(), 3, "fine.", 1), scored(p2.id(), 2, "worse.", 2)));

  @Test
  void rlaifvStyleWithRelativePngPaths() throws IOException {
    Path out = tmp.resolve("export/rlaifv.jsonl");
    PairExport.writeRlaifv(out, pairs);
    List<JsonNode> rows = JsonlReader.readAll(out, JsonNode.class);
    assertEquals(2, rows.size());
    JsonNode r = rows.get(0);
    assertEquals("describe the image.", r.get("question").asText());
    assertEquals("good.", r.get("chosen").asText());
    assertEquals("bad.", r.get("rejected").asText());
    assertEquals(0, r.get("chosen_score").asInt());
    assertEquals(-2, r.get("rejected_score").asInt());
    assertEquals(100, r.get("chosen_seed").asLong());
    String path = r.get("image_path").asText();
    assertTrue(path.startsWith("images/") && path.endsWith(".png"), path);
    assertEquals(p1.image(), Image.fromFile(out.getParent().resolve(path)));
    // Both prompts share one image, written once; a prompt id never becomes a path.
    assertEquals(path, rows.get(1).get("image_path").asText());
    try (var files = Files.list(out.getParent().resolve("images"))) {
      assertEquals(1, files.count());
    }
  }

  @Test
  void trlStyle() {
    Path out = tmp.resolve("trl.jsonl");
    PairExport.writeTrl(out, pairs);
    JsonNode r = JsonlReader.readAll(out, JsonNode.class).get(1);
    assertEquals("what is shown?", r.get("prompt").asText());
    assertEquals("fine.", r.get("chosen").asText());
    assertEquals("worse.", r.get("rejected").asText());
    assertEquals(1, r.get("images").size());
    assertTrue(Files.exists(tmp.resolve(r.get("images").get(0).asText())));
  }

  @Test
  void runPairsAreRebuiltWithTheirPrompts() {
    Path f = tmp.resolve("pairs.jsonl");
    PairProvenance prov = new PairProvenance("run-x", 1, "sft", "sft", 7, 8);
    JsonlWriter.writeAll(f, pairs.stream().map(p -> PairRecord.of(p, prov)).toList());
    assertEquals(pairs, PairExport.readRunPairs(f, List.of(p1, p2)));
    assertEquals(prov, PairExport.readRunRecords(f).get(1).provenance());
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PairExport.readRunPairs(f, List.of(p1)));
    assertTrue(e.getMessage().contains("p2"), e.getMessage());
  }
}
