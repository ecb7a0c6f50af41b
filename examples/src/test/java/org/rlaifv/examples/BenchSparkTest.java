package org.rlaifv.examples;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench --spark} without Spark on the class path fails with the command that adds it. */
class BenchSparkTest {

  @Test
  void withoutSparkTheReasonSaysHowToPutItOnTheClassPath(@TempDir Path tmp) {
    CliRun.assertOneLineError(CliRun.run("bench", "--spark", "--out", tmp.toString()),
        Main.FAILED, "spark-classpath.txt");
  }
}
