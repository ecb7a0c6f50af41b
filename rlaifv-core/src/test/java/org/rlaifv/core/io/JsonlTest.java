package org.rlaifv.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Claim;
import org.rlaifv.InvalidInputException;

class JsonlTest {

  @TempDir Path tmp;

  @Test
  void writesAndReadsLines() {
    Path f = tmp.resolve("a/claims.jsonl");
    try (JsonlWriter w = JsonlWriter.append(f)) {
      w.write(new Claim("one."));
      w.write(new Claim("two\nlines."));
      w.sync();
    }
    assertEquals(List.of(new Claim("one."), new Claim("two\nlines.")),
        JsonlReader.readAll(f, Claim.class));
  }

  @Test
  void malformedLineNamesFileAndLine() throws IOException {
    Path f = tmp.resolve("claims.jsonl");
    Files.writeString(f, "{\"text\":\"a.\"}\n\n{\"text\":\"b.\"}\n{\"text\": oops}\n{\"text\":\"c.\"}\n");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> JsonlReader.readAll(f, Claim.class));
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("line 4"), e.getMessage());
  }

  @Test
  void invalidRecordNamesLine() throws IOException {
    Path f = tmp.resolve("claims.jsonl");
    Files.writeString(f, "{\"text\":\"a.\"}\n{\"text\":\" \"}\n");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> JsonlReader.readAll(f, Claim.class));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
  }

  @Property(tries = 60)
  void recoverDropsATruncatedLastLineAndRepairsTheFile(
      @ForAll @IntRange(min = 0, max = 6) int complete, @ForAll @IntRange(min = 1, max = 12) int cut)
      throws IOException {
    Path dir = Files.createTempDirectory("jsonl");
    Path f = dir.resolve("partial.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < complete; i++) {
      sb.append(Json.toJson(new Claim("claim " + i + "."))).append('\n');
    }
    String good = sb.toString();
    String next = Json.toJson(new Claim("claim " + complete + "."));
    Files.writeString(f, good + next.substring(0, Math.min(cut, next.length() - 1)));
    List<Claim> got = JsonlReader.recover(f, Claim.class);
    assertEquals(complete, got.size());
    assertEquals(good, Files.readString(f), "file truncated to its last complete line");
    try (JsonlWriter w = JsonlWriter.append(f)) {
      w.write(new Claim("claim " + complete + "."));
    }
    assertEquals(complete + 1, JsonlReader.readAll(f, Claim.class).size());
    Files.delete(f);
    Files.delete(dir);
  }

  @Test
  void recoverKeepsACompleteLastLineAndRejectsCorruptionInTheMiddle() throws IOException {
    Path f = tmp.resolve("p.jsonl");
    Files.writeString(f, "{\"text\":\"a.\"}\n{\"text\":\"b.\"}\n");
    assertEquals(2, JsonlReader.recover(f, Claim.class).size());
    Files.writeString(f, "{\"text\":\"a.\"}\n{\"te\n{\"text\":\"b.\"}\n");
    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> JsonlReader.recover(f, Claim.class));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertEquals(List.of(), JsonlReader.recover(tmp.resolve("missing.jsonl"), Claim.class));
  }

  @Test
  void atomicWriteReplacesAndLeavesNoTemporaryFile() throws IOException {
    Path f = tmp.resolve("x/selected.json");
    AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
    AtomicFiles.write(f, List.of("a", "b"));
    assertEquals("a\nb\n", Files.readString(f));
    try (var s = Files.list(f.getParent())) {
      assertEquals(1, s.count());
    }
    assertEquals("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb",
        AtomicFiles.sha256("a".getBytes(StandardCharsets.UTF_8)));
    assertEquals(AtomicFiles.sha256("a\nb\n".getBytes(StandardCharsets.UTF_8)), AtomicFiles.sha256(f));
  }
}
