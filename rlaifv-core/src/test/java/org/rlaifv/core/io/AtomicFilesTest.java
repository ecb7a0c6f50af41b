package org.rlaifv.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path tmp;

  private final List<Path> synced = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stopObserving() {
    AtomicFiles.syncObserver = null;
  }

  @Test
  void aDirectoryIsForcedToDiskFileByFileBeforeItIsRenamedIntoPlace() throws IOException {
    AtomicFiles.syncObserver = synced::add;
    List<Path> seenWhenSynced = new ArrayList<>();
    Path target = tmp.resolve("train/checkpoint-3");
    Path out = AtomicFiles.writeDirectory(tmp.resolve("train"), "checkpoint-3", dir -> {
      try {
        // Written without any fsync, as a model's save method might.
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/model.safetensors"), "weights");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      seenWhenSynced.add(dir);
    });
    assertEquals(target, out);
    assertEquals("weights", Files.readString(target.resolve("sub/model.safetensors")));
    Path tmpDir = seenWhenSynced.get(0);
    assertTrue(synced.contains(tmpDir.resolve("config.json")), synced.toString());
    assertTrue(synced.contains(tmpDir.resolve("sub/model.safetensors")), synced.toString());
    assertTrue(synced.contains(tmpDir.resolve("sub")), synced.toString());
    assertTrue(synced.contains(tmpDir), synced.toString());
    assertTrue(synced.contains(tmp.resolve("train").toAbsolutePath()), "the rename is forced too");
    try (Stream<Path> s = Files.list(tmp.resolve("train"))) {
      assertEquals(List.of(target), s.toList(), "no temporary directory left");
    }
  }

  @Test
  void aDirectoryReplacesAnOlderOneAndAFailedWriteLeavesNothing() throws IOException {
    AtomicFiles.writeDirectory(tmp, "d", dir -> write(dir.resolve("a.txt"), "one"));
    AtomicFiles.writeDirectory(tmp, "d", dir -> write(dir.resolve("b.txt"), "two"));
    assertFalse(Files.exists(tmp.resolve("d/a.txt")));
    assertEquals("two", Files.readString(tmp.resolve("d/b.txt")));
    assertThrows(IllegalStateException.class, () -> AtomicFiles.writeDirectory(tmp, "e", dir -> {
      write(dir.resolve("x"), "x");
      throw new IllegalStateException("writer failed");
    }));
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(tmp.resolve("d")), s.toList());
    }
  }

  @Test
  void streamedWritesAreAtomicAndForced() throws IOException {
    AtomicFiles.syncObserver = synced::add;
    Path f = tmp.resolve("m/model.bin");
    AtomicFiles.write(f, out -> out.write("abc".getBytes(StandardCharsets.UTF_8)));
    assertEquals("abc", Files.readString(f));
    assertTrue(synced.stream().anyMatch(p -> p.getFileName().toString().startsWith(".model.bin.")),
        "the temporary file was forced before the rename: " + synced);
    assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(f, out -> {
      out.write(1);
      throw new IOException("disk full");
    }));
    assertEquals("abc", Files.readString(f));
    try (Stream<Path> s = Files.list(f.getParent())) {
      assertEquals(List.of(f), s.toList());
    }
  }

  @Test
  void leftoversAreRemovedAtAnyDepthAndNothingElse() throws IOException {
    Path a = Files.writeString(tmp.resolve(".x.json.abc.tmp"), "");
    Path b = Files.createDirectories(tmp.resolve("deep/.checkpoint-1.tmp"));
    Files.writeString(b.resolve("f"), "");
    Path keep1 = Files.writeString(tmp.resolve("x.tmp"), "");
    Path keep2 = Files.writeString(tmp.resolve(".hidden"), "");
    assertEquals(2, AtomicFiles.removeLeftovers(tmp).size());
    assertFalse(Files.exists(a));
    assertFalse(Files.exists(b));
    assertTrue(Files.exists(keep1) && Files.exists(keep2));
  }

  private static void write(Path p, String text) {
    try {
      Files.writeString(p, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
