package org.rlaifv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins seed derivation: every sample's seed, and so every rerun and resume of an existing run
 * directory, depends on these values. The golden file comes from an independent implementation,
 * {@code seeds_golden.py} beside it (see its header to regenerate). A change that fails this test
 * breaks reproducibility of every existing run.
 */
class SeedsGoldenTest {

  @Test
  void seedsMatchTheIndependentReference() throws IOException {
    Map<String, Long> golden = new LinkedHashMap<>();
    try (InputStream in = getClass().getResourceAsStream("seeds.golden.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] parts = line.split(" ");
        golden.put(parts[0], Long.parseLong(parts[1]));
      }
    }
    SamplingParams p = SamplingParams.builder().baseSeed(42).build();
    Map<String, Long> actual = new LinkedHashMap<>();
    actual.put("mix(0)", Seeds.mix(0L));
    actual.put("mix(1,2,3)", Seeds.mix(1L, 2L, 3L));
    actual.put("mix(-1,MAX)", Seeds.mix(-1L, Long.MAX_VALUE));
    actual.put("mix()", Seeds.mix());
    actual.put("mix(7,shapes-train-7-0)", Seeds.mix(7L, "shapes-train-7-0"));
    actual.put("mix(0,)", Seeds.mix(0L, ""));
    actual.put("mix(-5,h\u00e9llo)", Seeds.mix(-5L, "h\u00e9llo"));
    actual.put("seedFor(42,0)", p.seedFor(0));
    actual.put("seedFor(42,1)", p.seedFor(1));
    actual.put("seedFor(42,9)", p.seedFor(9));
    assertEquals(golden, actual);
  }
}
