package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;
import org.rlaifv.Image;
import org.rlaifv.Prompt;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.loop.AlignmentLoop;
import org.rlaifv.testkit.fakes.ScriptedSampler;

/** A failing run closes its progress bar, so the error that follows starts on its own line. */
class LoopProgressTest {

  @Test
  void theBarIsClosedWhenTheLoopFails(@TempDir Path tmp) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      AlignmentLoop loop = AlignmentLoop.builder()
          .initialPolicy(Checkpoint.of(tmp))
          .sampler(p -> ScriptedSampler.cycling(List.of("there is a red circle.")))
          .scorer((prompt, responses) -> {
            throw new IllegalStateException("labeler crashed");
          })
          .pairSelector(groups -> List.of())
          .trainer(request -> {
            throw new AssertionError("not reached");
          })
          .samplingParams(SamplingParams.builder().n(2).build())
          .iterations(1)
          .runDirectory(tmp.resolve("run"))
          .listener(new LoopProgress("test"))
          .build();
      Prompt prompt = new Prompt("p", new Image(1, 1, new byte[3]), "describe.");
      assertThrows(IllegalStateException.class, () -> loop.run(List.of(prompt,
          new Prompt("q", new Image(1, 1, new byte[3]), "describe."))));
    } finally {
      System.setErr(err);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("test iter 1 score"), out);
    assertTrue(out.endsWith("\n"), "the bar's line was ended: [" + out + "]");
  }
}
