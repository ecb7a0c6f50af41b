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
    // Resident memory after each of 12 more rounds. A single difference is noisy at the tens of
    // MB (the collector and the allocators give memory back in steps), so compare the mean of
    // the last four rounds with the mean of the first four: the growth per round between them.
    long[] rss = new long[12];
    for (int i = 0; i < rss.length; i++) {
      round.run();
      System.gc();
      rss[i] = rssKb();
    }
    double first = (rss[0] + rss[1] + rss[2] + rss[3]) / 4.0;
    double last = (rss[8] + rss[9] + rss[10] + rss[11]) / 4.0;
    double perRound = (last - first) / 8;
    // A leaked cache per decoder run would add about 1 MB per sampler call: 30 MB per round.
    assertTrue(perRound < 2_500,
        "resident memory grew by " + Math.round(perRound) + " kB per round of 30 judge and 30"
            + " sampler calls: " + java.util.Arrays.toString(rss));
  }
}
