package org.rlaifv.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlaifv.Checkpoint;
import org.rlaifv.SamplingParams;
import org.rlaifv.TextGenerator;
import org.rlaifv.UnsupportedCapabilityException;

class BackendProviderDefaultsTest {

  /** A backend that only samples. */
  static final class SamplingOnly implements BackendProvider {
    @Override
    public String name() {
      return "sampling-only";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.SAMPLING);
    }
  }

  @Test
  void textGenerationIsUnsupportedUnlessABackendProvidesIt() {
    BackendProvider p = new SamplingOnly();
    Checkpoint ckpt = Checkpoint.of(Path.of("some-llm"));
    UnsupportedCapabilityException e = assertThrows(UnsupportedCapabilityException.class,
        () -> p.newTextGenerator(ckpt, BackendOptions.defaults()));
    assertTrue(e.getMessage().contains("sampling-only") && e.getMessage().contains("TEXT_GENERATION"),
        e.getMessage());
    assertThrows(UnsupportedCapabilityException.class,
        () -> p.newTextGenerator(ckpt, BackendOptions.defaults(), TextGenerator.greedy(4)));
  }

  @Test
  void theTwoArgumentFactoryAsksForGreedyDecodingWithTheDefaultLimit() {
    SamplingParams[] seen = new SamplingParams[1];
    BackendProvider p = new BackendProvider() {
      @Override
      public String name() {
        return "recording";
      }

      @Override
      public Set<Capability> capabilities() {
        return Set.of(Capability.TEXT_GENERATION);
      }

      @Override
      public TextGenerator newTextGenerator(
          Checkpoint model, BackendOptions options, SamplingParams decoding) {
        seen[0] = decoding;
        return prompt -> "ok";
      }
    };
    try (TextGenerator g = p.newTextGenerator(Checkpoint.of(Path.of("m")), BackendOptions.defaults())) {
      assertEquals(List.of("ok", "ok"), g.generateAll(List.of("a", "b")));
    }
    assertTrue(seen[0].greedy());
    assertEquals(1, seen[0].n());
    assertEquals(TextGenerator.DEFAULT_MAX_NEW_TOKENS, seen[0].maxNewTokens());
    assertEquals(List.of(), seen[0].stopSequences());
  }
}
