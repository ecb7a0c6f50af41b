package org.rlaifv.djl.internal.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.djl.TinyVlms;
import org.rlaifv.djl.model.LoadedVlm;

class DjlBenchTest {
  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void measureReportsEveryFieldOnATinyWorkload() {
    try (LoadedVlm vlm = TinyVlms.create(dir, 4)) {
      Map<String, Object> r =
          DjlBench.measure(vlm, vlm, new DjlBench.Workload(TinyVlms.WORDS, 3, 3, 2, 2, 4, 1, 1));
      Map<String, Object> judge = (Map<String, Object>) r.get("judge");
      Map<String, Object> sampler = (Map<String, Object>) r.get("sampler");
      for (String k : new String[] {"claims_per_s_cached", "claims_per_s_naive", "speedup"}) {
        assertTrue(((Number) judge.get(k)).doubleValue() > 0, k);
      }
      for (String k : new String[] {"tokens_per_s_shared_prefill", "tokens_per_s_naive", "speedup"}) {
        assertTrue(((Number) sampler.get(k)).doubleValue() > 0, k);
      }
      assertTrue(((Number) judge.get("max_abs_prob_diff")).doubleValue() <= 1e-5);
      assertEquals(0, sampler.get("samples_differing_from_naive"));
    }
    assertTrue(DjlBench.matmulGflops(true) > 0);
  }
}
