package org.rlaifv.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Image;
import org.rlaifv.Prompt;
import org.rlaifv.Response;

class ReferenceLogpsTest {

  @Test
  void roundTripsAndInvalidatesOnOtherTextOrReference(@TempDir Path dir) throws Exception {
    Prompt p = new Prompt("p#1", new Image(1, 1, new byte[3]), "describe the image.");
    Response a = new Response("p#1", 0, "there is a red circle.", 42, 0);
    Response b = new Response("p#1", 1, "there is a blue square.", 43, 0);
    ReferenceLogps cache = ReferenceLogps.empty("ref-0");
    cache.put(p, a, -12.5, 6);
    cache.put(p, b, -3.25, 7);
    Path file = dir.resolve(ReferenceLogps.FILE_NAME);
    cache.write(file);
    assertTrue(Files.isRegularFile(file));

    ReferenceLogps back = ReferenceLogps.read(file, "ref-0");
    assertEquals(2, back.size());
    assertEquals(-12.5, back.get(p, a).orElseThrow().logp());
    assertEquals(7, back.get(p, b).orElseThrow().tokens());
    Response edited = new Response("p#1", 0, "there is a green circle.", 42, 0);
    assertTrue(back.get(p, edited).isEmpty());
    assertEquals(0, ReferenceLogps.read(file, "ref-1").size());
    assertEquals(0, ReferenceLogps.read(dir.resolve("missing.json"), "ref-0").size());
  }

  @Test
  void atomicDirectoryReplacesAnOlderOne(@TempDir Path dir) throws Exception {
    org.rlaifv.core.io.AtomicFiles.writeDirectory(dir, "checkpoint-1", d -> write(d.resolve("a.txt"), "one"));
    Path out = org.rlaifv.core.io.AtomicFiles.writeDirectory(dir, "checkpoint-1", d -> write(d.resolve("b.txt"), "two"));
    assertEquals("two", Files.readString(out.resolve("b.txt")));
    assertTrue(Files.notExists(out.resolve("a.txt")));
    try (var s = Files.list(dir)) {
      assertEquals(1, s.count());
    }
  }

  @Test
  void aFailedWriteLeavesNeitherTargetNorTemporary(@TempDir Path dir) throws Exception {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> org.rlaifv.core.io.AtomicFiles.writeDirectory(dir, "checkpoint-3", d -> {
          write(d.resolve("half.txt"), "partial");
          throw new IllegalStateException("disk full");
        }));
    try (var s = Files.list(dir)) {
      assertEquals(0, s.count());
    }
  }

  @Test
  void reportWritesOneJsonObjectPerLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(TrainingReport.FILE_NAME);
    try (TrainingReport r = new TrainingReport(file)) {
      r.step(new org.rlaifv.TrainingMetrics(1, 0.5, java.util.Map.of("loss", 0.69, "grad_norm", Double.NaN)));
      r.epoch(new org.rlaifv.TrainingMetrics(2, 1.0, java.util.Map.of("loss", 0.5)));
    }
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var lines = Files.readAllLines(file);
    assertEquals(2, lines.size());
    var first = json.readTree(lines.get(0));
    assertEquals("step", first.get("kind").asText());
    assertEquals(1, first.get("step").asLong());
    assertEquals(0.69, first.get("loss").asDouble(), 0.0);
    assertEquals("NaN", first.get("grad_norm").asText());
    assertEquals("epoch", json.readTree(lines.get(1)).get("kind").asText());
  }

  private static void write(Path p, String s) {
    try {
      Files.writeString(p, s);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
