package org.rlaifv.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.InvalidInputException;

class RunDirectoryTest {

  @TempDir Path tmp;

  private static ObjectNode config(long seed) {
    ObjectNode n = Json.objectNode();
    n.put("seed", seed);
    n.put("beta", 0.1);
    return n;
  }

  private RunDirectory open(Path dir) {
    return RunDirectory.open(dir, "run-1", config(3L), Map.of("who", "test"));
  }

  @Test
  void checkpointsOutsideTheRunAreStoredAbsoluteSoTheyResolveBackToThemselves() {
    RunDirectory run = open(tmp.resolve("run"));
    Checkpoint relative = new Checkpoint("sft", Path.of("models/policy"));
    Checkpoint stored = run.relativize(relative);
    assertTrue(stored.directory().isAbsolute(), stored.toString());
    assertEquals(
        relative.directory().toAbsolutePath().normalize(), run.resolve(stored).directory());
    Checkpoint inside = new Checkpoint("c", tmp.resolve("run/iter-1/train/checkpoint-4"));
    assertEquals(Path.of("iter-1/train/checkpoint-4"), run.relativize(inside).directory());
    assertEquals(inside.directory(), run.resolve(run.relativize(inside)).directory());
  }

  @Test
  void partialStageResumesAfterItsLastLine() {
    Path dir = tmp.resolve("run");
    RunDirectory run = open(dir);
    run.startIteration(1, new Checkpoint("sft", tmp.resolve("sft")), new Checkpoint("sft",
        tmp.resolve("sft")), 42);
    try (PartialStage<Claim> st = run.resumePartial(1, "sample", "responses.jsonl", Claim.class)) {
      st.append(new Claim("a."));
      st.append(new Claim("b."));
    }
    RunDirectory again = open(dir);
    try (PartialStage<Claim> st = again.resumePartial(1, "sample", "responses.jsonl", Claim.class)) {
      assertEquals(List.of(new Claim("a."), new Claim("b.")), st.records());
      st.append(new Claim("c."));
      StageRecord rec = st.complete();
      assertEquals(3, rec.count());
      assertEquals(AtomicFiles.sha256(dir.resolve("iter-1/responses.jsonl")), rec.sha256());
    }
    assertFalse(Files.exists(dir.resolve("iter-1/responses.partial.jsonl")));
    assertEquals(3, open(dir).readStage(1, "sample", Claim.class).size());
  }

  @Test
  void aFinalFileRenamedButNotRecordedIsTakenBack() throws IOException {
    Path dir = tmp.resolve("run");
    RunDirectory run = open(dir);
    Checkpoint p = new Checkpoint("sft", tmp.resolve("sft"));
    run.startIteration(1, p, p, 42);
    try (PartialStage<Claim> st = run.resumePartial(1, "score", "scores.jsonl", Claim.class)) {
      st.append(new Claim("a."));
    }
    // The crash happened after the rename and before the manifest update.
    Files.move(dir.resolve("iter-1/scores.partial.jsonl"), dir.resolve("iter-1/scores.jsonl"));
    RunDirectory again = open(dir);
    assertFalse(again.stageDone(1, "score"));
    try (PartialStage<Claim> st = again.resumePartial(1, "score", "scores.jsonl", Claim.class)) {
      assertEquals(List.of(new Claim("a.")), st.records());
      st.complete();
    }
    assertEquals(List.of(new Claim("a.")), open(dir).readStage(1, "score", Claim.class));
  }

  @Test
  void aStageFileChangedAfterItWasRecordedIsReported() throws IOException {
    Path dir = tmp.resolve("run");
    RunDirectory run = open(dir);
    Checkpoint p = new Checkpoint("sft", tmp.resolve("sft"));
    run.startIteration(1, p, p, 42);
    run.writeStage(1, "pair", "pairs.jsonl", List.of(new Claim("a.")));
    Files.writeString(dir.resolve("iter-1/pairs.jsonl"), "{\"text\":\"b.\"}\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> open(dir).readStage(1, "pair", Claim.class));
    assertTrue(e.getMessage().contains("pairs.jsonl"), e.getMessage());
    assertTrue(e.getMessage().contains("changed"), e.getMessage());
  }

  @Test
  void anotherConfigurationIsRefusedNamingTheField() {
    Path dir = tmp.resolve("run");
    open(dir);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> RunDirectory.open(dir, "run-1", config(4L), Map.of()));
    assertTrue(e.getMessage().contains("seed"), e.getMessage());
    assertThrows(InvalidInputException.class,
        () -> RunDirectory.open(dir, "run-2", config(3L), Map.of()));
  }

  @Test
  void checkpointsInsideTheRunAreStoredRelative() throws IOException {
    Path dir = tmp.resolve("run");
    RunDirectory run = open(dir);
    Checkpoint sft = new Checkpoint("sft", tmp.resolve("sft"));
    run.startIteration(1, sft, sft, 1);
    Checkpoint trained = new Checkpoint("c1", run.trainDirectory(1).resolve("checkpoint-1"));
    run.recordTraining(1, List.of(trained), false);
    run.recordSelected(1, trained);
    IterationRecord stored = run.manifest().iterations().get(0);
    assertEquals(Path.of("iter-1/train/checkpoint-1"), stored.selected().directory());
    assertTrue(stored.policy().directory().isAbsolute());
    // Moving the run directory keeps its checkpoints reachable.
    Path moved = tmp.resolve("moved");
    Files.move(dir, moved);
    RunDirectory reopened = RunDirectory.open(moved, "run-1", config(3L), Map.of());
    assertEquals(moved.resolve("iter-1/train/checkpoint-1"),
        reopened.iteration(1).orElseThrow().selected().directory());
    assertThrows(InvalidInputException.class,
        () -> reopened.startIteration(1, new Checkpoint("other", tmp), sft, 1));
  }
}
