package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.SamplingParams;
import org.rlaifv.spi.BackendOptions;

/** Sessions and tensors are closed: many calls do not grow the process's resident memory. */
class NativeMemoryTest {
  @TempDir Path tmp;

  private static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  @Test
  void repeatedCallsAndReopeningDoNotGrowNativeMemory() throws Exception {
    Path onnx = TinyModels.exported(TinyModels.djlModel(tmp, 3, 64, 2));
    List<PolarQuestion> qs =
        List.of(
            new PolarQuestion(new Claim("a"), "is there a red circle ?"),
            new PolarQuestion(new Claim("b"), "is there a blue square on the top left ?"),
            new PolarQuestion(new Claim("c"), "is there a cross ?"));
    Prompt prompt = new Prompt("p", TinyModels.image(4), "describe the image .");
    SamplingParams params =
        SamplingParams.builder().n(4).temperature(1).maxNewTokens(16).baseSeed(1).build();
    BackendOptions options = BackendOptions.defaults().withThreads(1);
    Runnable round =
        () -> {
          try (OrtPolarJudge judge = OrtPolarJudge.open(Checkpoint.of(onnx), options);
              OrtResponseSampler sampler = OrtResponseSampler.open(Checkpoint.of(onnx), options)) {
            for (int i = 0; i < 30; i++) {
              judge.judge(TinyModels.image(i), qs);
              sampler.sample(prompt, params.toBuilder().baseSeed(i).build());
            }
          }
        };
    // Warm up: allocator arenas, JIT and ONNX Runtime's own pools settle in the first rounds.
    for (int i = 0; i < 4; i++) {
      round.run();
    }
    System.gc();
    long before = rssKb();
    for (int i = 0; i < 8; i++) {
      round.run();
    }
    System.gc();
    long grown = rssKb() - before;
    // A leaked cache per decoder run would add about 1 MB per sampler call, 240 MB here.
    assertTrue(grown < 20_000, "resident memory grew by " + grown + " kB");
  }
}
