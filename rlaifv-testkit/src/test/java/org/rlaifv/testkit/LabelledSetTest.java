package org.rlaifv.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.InvalidInputException;

class LabelledSetTest {

  @TempDir Path dir;
  private Path root;

  @BeforeEach
  void images() throws IOException {
    root = Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(root.resolve("scenes"));
    TestSets.solid(255, 0, 0).writePng(root.resolve("scenes/red.png"));
    TestSets.solid(0, 0, 255).writePng(root.resolve("scenes/blue.png"));
    TestSets.solid(0, 255, 0).writePng(dir.resolve("outside.png"));
  }

  private Path jsonl(String... lines) throws IOException {
    Path f = root.resolve("labels.jsonl");
    Files.writeString(f, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return f;
  }

  private String error(String... lines) throws IOException {
    Path f = jsonl(lines);
    return assertThrows(InvalidInputException.class, () -> LabelledSet.load(f)).getMessage();
  }

  @Test
  void loadsItemsResolvesImagesAndLinksNegations() throws IOException {
    Path f = jsonl(
        "{\"image\": \"scenes/red.png\", \"question\": \"is there a red square?\", \"answer\": \"yes\"}",
        "",
        "{\"id\": \"b\", \"image\": \"scenes/blue.png\", \"question\": \"is there a red square?\", \"answer\": \"NO\", \"note\": 1}",
        "{\"id\": \"not-b\", \"image\": \"./scenes/blue.png\", \"question\": \"is there no red square?\", \"answer\": \"yes\", \"negates\": \"b\"}\r");
    LabelledSet set = LabelledSet.load(f);
    assertEquals(3, set.size());
    LabelledQuestion first = set.questions().get(0);
    assertEquals("labels.jsonl:1", first.id());
    assertEquals("scenes/red.png", first.imageName());
    assertTrue(first.gold());
    assertEquals(255, first.image().at(0, 0, 0));
    assertFalse(set.questions().get(1).gold());
    assertSame(set.questions().get(1).image(), set.questions().get(2).image(), "one image loaded once");
    assertEquals(1, set.negationPairs().size());
    assertEquals("b", set.negationPairs().get(0).question().id());
    assertEquals("not-b", set.negationPairs().get(0).negation().id());
  }

  @Test
  void explicitRootResolvesPaths() throws IOException {
    Path f = dir.resolve("elsewhere.jsonl");
    Files.writeString(f, "{\"image\": \"scenes/red.png\", \"question\": \"is it red?\", \"answer\": \"yes\"}\n");
    assertEquals(1, LabelledSet.load(f, root).size());
  }

  @Test
  void malformedLineNamesFileAndLine() throws IOException {
    String m = error(
        "{\"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"yes\"}",
        "{\"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": ",
        "{\"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"yes\"}");
    assertTrue(m.contains("labels.jsonl:2: malformed JSON"), m);
  }

  @Test
  void badFieldsNameTheLine() throws IOException {
    String ok = "{\"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"yes\"}";
    assertTrue(error(ok, ok, "[1, 2]").contains("labels.jsonl:3: expected a JSON object"));
    assertTrue(error(ok, "{\"image\": \"scenes/red.png\", \"answer\": \"yes\"}")
        .contains("labels.jsonl:2: missing field \"question\""));
    String maybe = error("{\"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"maybe\"}");
    assertTrue(maybe.contains("labels.jsonl:1: answer must be \"yes\" or \"no\", got \"maybe\""), maybe);
    assertTrue(error("{\"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": true}")
        .contains("labels.jsonl:1: field \"answer\" must be a string"));
    assertTrue(error("{\"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"yes\"} {}")
        .contains("labels.jsonl:1: malformed JSON"));
    String dup = error("{\"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"yes\", \"answer\": \"no\"}");
    assertTrue(dup.contains("labels.jsonl:1: malformed JSON") && dup.contains("answer"), dup);
  }

  @Test
  void imagePathsCannotEscapeTheRoot() throws IOException {
    String up = error("{\"image\": \"../outside.png\", \"question\": \"q?\", \"answer\": \"yes\"}");
    assertTrue(up.contains("labels.jsonl:1: image path \"../outside.png\" escapes the data set root"), up);
    String sneaky = error(
        "{\"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"yes\"}",
        "{\"image\": \"scenes/../../outside.png\", \"question\": \"q?\", \"answer\": \"yes\"}");
    assertTrue(sneaky.contains("labels.jsonl:2: image path") && sneaky.contains("escapes"), sneaky);
    String abs = error("{\"image\": \"" + dir.resolve("outside.png").toAbsolutePath()
        + "\", \"question\": \"q?\", \"answer\": \"yes\"}");
    assertTrue(abs.contains("labels.jsonl:1: image path") && abs.contains("must be relative"), abs);
  }

  @Test
  void symbolicLinksOutOfTheRootAreRefused() throws IOException {
    Path link = root.resolve("scenes/link.png");
    try {
      Files.createSymbolicLink(link, dir.resolve("outside.png"));
    } catch (UnsupportedOperationException | IOException e) {
      return; // the file system has no symbolic links: nothing to check
    }
    String m = error("{\"image\": \"scenes/link.png\", \"question\": \"q?\", \"answer\": \"yes\"}");
    assertTrue(m.contains("labels.jsonl:1: image path \"scenes/link.png\" links outside"), m);
  }

  @Test
  void missingOrUnreadableImagesNameTheLine() throws IOException {
    String missing = error(
        "{\"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"yes\"}",
        "{\"image\": \"scenes/green.png\", \"question\": \"q?\", \"answer\": \"yes\"}");
    assertTrue(missing.contains("labels.jsonl:2: image \"scenes/green.png\" not found"), missing);
    Files.writeString(root.resolve("scenes/text.png"), "not an image");
    String bad = error("{\"image\": \"scenes/text.png\", \"question\": \"q?\", \"answer\": \"yes\"}");
    assertTrue(bad.contains("labels.jsonl:1: image") && bad.contains("text.png"), bad);
  }

  @Test
  void idsAndNegationLinksAreChecked() throws IOException {
    String dup = error(
        "{\"id\": \"a\", \"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"yes\"}",
        "{\"id\": \"a\", \"image\": \"scenes/red.png\", \"question\": \"r?\", \"answer\": \"yes\"}");
    assertTrue(dup.contains("labels.jsonl:2: id \"a\" is already used on line 1"), dup);
    String dangling = error(
        "{\"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"yes\", \"negates\": \"zz\"}");
    assertTrue(dangling.contains("labels.jsonl:1: negates \"zz\""), dangling);
    String sameGold = error(
        "{\"id\": \"a\", \"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"yes\"}",
        "{\"image\": \"scenes/red.png\", \"question\": \"not q?\", \"answer\": \"yes\", \"negates\": \"a\"}");
    assertTrue(sameGold.contains("labels.jsonl:2: negation pair") && sameGold.contains("opposite"), sameGold);
    String otherImage = error(
        "{\"id\": \"a\", \"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"yes\"}",
        "{\"image\": \"scenes/blue.png\", \"question\": \"not q?\", \"answer\": \"no\", \"negates\": \"a\"}");
    assertTrue(otherImage.contains("labels.jsonl:2: negation pair") && otherImage.contains("different images"),
        otherImage);
  }

  @Test
  void overlongLinesAndMissingFilesAreRefused() throws IOException {
    String longLine = "{\"image\": \"scenes/red.png\", \"question\": \""
        + "x".repeat(LabelledSet.MAX_LINE_CHARS) + "\", \"answer\": \"yes\"}";
    String m = error("{\"image\": \"scenes/red.png\", \"question\": \"q?\", \"answer\": \"yes\"}", longLine);
    assertTrue(m.contains("labels.jsonl:2: line is longer than"), m);
    Path none = root.resolve("none.jsonl");
    String missing = assertThrows(InvalidInputException.class, () -> LabelledSet.load(none)).getMessage();
    assertTrue(missing.contains("none.jsonl does not exist"), missing);
  }
}
