package org.rlaifv.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;

class PromptFilesTest {

  @TempDir Path tmp;

  private static Prompt prompt(String id, int v) {
    byte[] px = new byte[3 * 3 * 3];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (v + i);
    }
    return new Prompt(id, new Image(3, 3, px), "describe " + id + ".");
  }

  @Test
  void roundTrips() {
    List<Prompt> prompts = List.of(prompt("a", 1), prompt("b", 2), prompt("c", 1));
    Path f = tmp.resolve("data/prompts.jsonl");
    PromptFiles.write(f, prompts);
    assertEquals(prompts, PromptFiles.read(f));
  }

  private InvalidInputException readFails(String line) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("ds"));
    Path f = dir.resolve("prompts.jsonl");
    Files.writeString(f, line + "\n");
    return assertThrows(InvalidInputException.class, () -> PromptFiles.read(f));
  }

  @Test
  void imagePathsCannotLeaveTheDatasetDirectory() throws IOException {
    PromptFiles.write(tmp.resolve("outside.jsonl"), List.of(prompt("x", 5)));
    String name = Files.list(tmp.resolve("images")).findFirst().orElseThrow().getFileName().toString();
    InvalidInputException up = readFails(
        "{\"id\":\"x\",\"image\":\"../images/" + name + "\",\"text\":\"t\"}");
    assertTrue(up.getMessage().contains("leaves"), up.getMessage());
    assertTrue(up.getMessage().contains("prompts.jsonl line 1"), up.getMessage());
    InvalidInputException abs = readFails("{\"id\":\"x\",\"image\":\""
        + tmp.resolve("images").resolve(name) + "\",\"text\":\"t\"}");
    assertTrue(abs.getMessage().contains("relative"), abs.getMessage());
    Files.createSymbolicLink(tmp.resolve("ds/link.png"), tmp.resolve("images").resolve(name));
    InvalidInputException link = readFails("{\"id\":\"x\",\"image\":\"link.png\",\"text\":\"t\"}");
    assertTrue(link.getMessage().contains("links outside"), link.getMessage());
  }

  @Test
  void duplicateIdsAndMissingImagesNameTheLine() throws IOException {
    Path f = tmp.resolve("p.jsonl");
    PromptFiles.write(f, List.of(prompt("a", 1)));
    String line = Files.readString(f);
    Files.writeString(f, line + line);
    InvalidInputException dup =
        assertThrows(InvalidInputException.class, () -> PromptFiles.read(f));
    assertTrue(dup.getMessage().contains("line 2") && dup.getMessage().contains("'a'"),
        dup.getMessage());
    Files.writeString(f, "{\"id\":\"a\",\"image\":\"images/none.png\",\"text\":\"t\"}\n");
    InvalidInputException missing =
        assertThrows(InvalidInputException.class, () -> PromptFiles.read(f));
    assertTrue(missing.getMessage().contains("none.png"), missing.getMessage());
  }

  @Test
  void lineNumbersCountBlankLines() throws IOException {
    Path f = tmp.resolve("p.jsonl");
    PromptFiles.write(f, List.of(prompt("a", 1), prompt("b", 2)));
    List<String> lines = Files.readAllLines(f);
    // Line 3 is blank; line 4 repeats prompt a.
    Files.writeString(f, lines.get(0) + "\n" + lines.get(1) + "\n\n" + lines.get(0) + "\n");
    InvalidInputException dup =
        assertThrows(InvalidInputException.class, () -> PromptFiles.read(f));
    assertTrue(dup.getMessage().contains(f + " line 4"), dup.getMessage());
    assertTrue(dup.getMessage().contains("first on line 1"), dup.getMessage());
  }

  @Test
  void anUndecodableImageNamesThePromptFileAndLine() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("bad"));
    Files.writeString(dir.resolve("broken.png"), "not an image");
    Path f = dir.resolve("prompts.jsonl");
    Files.writeString(f, "\n{\"id\":\"x\",\"image\":\"broken.png\",\"text\":\"t\"}\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PromptFiles.read(f));
    assertTrue(e.getMessage().startsWith(f + " line 2: "), e.getMessage());
    assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
  }
}
