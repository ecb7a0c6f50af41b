package org.rlaifv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {

  @Test
  void lambdaRolesGetANameThatDoesNotChangeBetweenRuns() {
    PairSelector lambda = groups -> List.of();
    String name = lambda.provenance().name();
    assertEquals(ProvenanceTest.class.getName() + "$$Lambda", name);
    assertEquals("last", CheckpointSelector.last().provenance().name());
  }

  @Test
  void differencesAreNamedByPath() {
    Provenance a = Provenance.named("scorer").with("x", 1)
        .withPart("judge", Provenance.named("j").with("abstainBelow", 0.1));
    Provenance b = Provenance.named("scorer").with("x", 1).with("y", true)
        .withPart("judge", Provenance.named("j").with("abstainBelow", 0.2));
    assertEquals(List.of("y", "judge.abstainBelow"), a.differences(b));
    assertEquals(List.of(), a.differences(a));
    assertEquals(List.of("name"), a.differences(Provenance.named("other").with("x", 1)
        .withPart("judge", Provenance.named("j").with("abstainBelow", 0.1))));
  }

  @Test
  void checkpointsAreDescribedByTheirWeights(@TempDir Path tmp) throws IOException {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path b = Files.createDirectories(tmp.resolve("b"));
    Files.writeString(a.resolve("model.safetensors"), "weights");
    Files.writeString(b.resolve("model.safetensors"), "weights");
    Files.writeString(a.resolve("config.json"), "{}");
    assertEquals(Provenance.weightsDigest(a), Provenance.weightsDigest(b));
    Files.writeString(b.resolve("model.safetensors"), "other");
    assertNotEquals(Provenance.weightsDigest(a), Provenance.weightsDigest(b));
    Provenance p = Provenance.named("judge").withCheckpoint("model", new Checkpoint("lab", a));
    assertEquals("lab", p.settings().get("model.id"));
    assertEquals(Provenance.weightsDigest(a), p.settings().get("model.sha256"));
    assertEquals("none", Provenance.weightsDigest(tmp));
  }
}
