package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The divide-step example on the reference's golden Qwen2 causal LM (random weights, so the model
 * writes gibberish and the example reports that no fact list was readable).
 */
class DivideStepExampleTest {
  private static final Path MODEL =
      Path.of("../rlaifv-djl/src/test/resources/hf-text/qwen2-tied-bf16-sharded");

  private static String[] run(int status, String... args) {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      rc = DivideStepExample.run(args, new PrintStream(printed, true, StandardCharsets.UTF_8));
    } finally {
      System.setErr(oldErr);
    }
    String out = printed.toString(StandardCharsets.UTF_8);
    String e = err.toString(StandardCharsets.UTF_8);
    assertEquals(status, rc, out + e);
    return new String[] {out, e};
  }

  @Test
  void dividesResponsesWithALocalCausalLm() {
    assumeTrue(Files.isDirectory(MODEL), "the golden models sit in the source tree");
    String out = run(0, "--model", MODEL.toString(), "--max-new-tokens", "12", "--show-outputs",
        "--response", "There is a red circle on the left.",
        "--response", "The square is blue. I think it looks lovely.")[0];
    assertTrue(out.contains("response 1: There is a red circle on the left.")
        && out.contains("response 2: The square is blue.")
        && out.contains("model output (claims):")
        && out.contains("2 response(s): 2 without a readable fact list"), out);
  }

  @Test
  void aVisionLanguageModelDirectoryIsRefusedWithAReason() {
    Path llava = Path.of("../rlaifv-djl/src/test/resources/hf/llava-clip-llama");
    assumeTrue(Files.isDirectory(llava), "the golden models sit in the source tree");
    String err = run(1, "--model", llava.toString(), "--response", "a red circle.")[1];
    assertTrue(err.contains("vision-language"), err);
    String usage = run(2, "--model", llava.toString(), "--response", " ")[1];
    assertTrue(usage.contains("--response"), usage);
  }
}
