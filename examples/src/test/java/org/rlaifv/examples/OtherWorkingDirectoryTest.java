package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.examples.shapes.ShapesModels;

/**
 * The command line finds the shipped models from any working directory: they are looked up next
 * to the directory the code was loaded from ({@code examples/target/classes} here, {@code
 * examples/target/rlaifv.jar} when run from the jar), not under the working directory.
 */
class OtherWorkingDirectoryTest {

  /** Runs the command line in a fresh JVM whose working directory is {@code cwd}. */
  private static Process start(Path cwd, List<String> jvmArgs, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile())
        .redirectError(cwd.resolve("stderr.txt").toFile());
    pb.environment().remove(ShapesModels.ENV);
    return pb.start();
  }

  private static String finish(Process p) throws Exception {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
    return out;
  }

  @Test
  void shippedModelsAreFoundOutsideTheRepository(@TempDir Path tmp) throws Exception {
    Process p = start(tmp, List.of(), "judge-eval", "--n", "8", "--out", "eval");
    String out = finish(p);
    String err = Files.readString(tmp.resolve("stderr.txt"));
    assertEquals(0, p.exitValue(), out + err);
    assertTrue(out.contains("judge-eval (labeler)"), out);
    assertTrue(Files.isRegularFile(tmp.resolve("eval").resolve("judge_report.json")));
  }

  @Test
  void theModelsPropertyOverridesTheLookupAndAnAbsentDirectoryIsNamed(@TempDir Path tmp)
      throws Exception {
    Path none = tmp.resolve("no-models");
    Process p = start(tmp, List.of("-D" + ShapesModels.PROPERTY + "=" + none), "judge-eval",
        "--n", "8", "--out", "eval");
    String out = finish(p);
    String err = Files.readString(tmp.resolve("stderr.txt")).strip();
    assertEquals(Main.FAILED, p.exitValue(), out + err);
    String last = err.lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(last.startsWith("rlaifv judge-eval: ") && last.contains(none.toString()), err);
  }

  @Test
  void defaultLocationsStartNextToTheCodeDirectory() {
    Path first = ShapesModels.defaultLocations().get(0);
    Path classes = Path.of(System.getProperty("user.dir"), "target", "classes");
    assertEquals(classes.getParent().getParent().resolve("models").toAbsolutePath().normalize(),
        first);
    assertTrue(Files.isDirectory(first.resolve(ShapesModels.LABELER)), first.toString());
  }
}
