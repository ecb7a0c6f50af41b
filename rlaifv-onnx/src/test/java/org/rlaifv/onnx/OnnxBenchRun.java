package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;

/**
 * Runs {@link OnnxBench} on a ShapesWorld-sized labeler (hidden 128, 4 layers, 4 image tokens),
 * one intra-op thread on both backends (PyTorch's comes from this module's Surefire settings).
 * Not part of the test suite (the name does not end in {@code Test}); run it with {@code mvn -pl
 * rlaifv-onnx -am verify -Dtest=OnnxBenchRun -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class OnnxBenchRun {
  @TempDir Path tmp;

  @Test
  void shapesWorldLabeler() throws Exception {
    Path dir = TinyModels.djlModel(tmp, 42, 128, 4);
    Path onnx = TinyModels.exported(dir);
    Map<String, Double> figures =
        OnnxBench.run(
            Checkpoint.of(dir),
            Checkpoint.of(onnx),
            OnnxBench.Settings.defaults());
    figures.forEach((k, v) -> System.out.printf("BENCH %s = %.2f%n", k, v));
    assertTrue(figures.get(OnnxBench.JUDGE_CLAIMS_PER_S) > 0);
  }
}
