package org.rlaifv.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Prompt;
import org.rlaifv.core.loop.LoopListener;
import org.rlaifv.core.loop.Stage;
import org.rlaifv.core.loop.StageRunner;

/**
 * A real standalone cluster on this machine (a master and two one-core worker JVMs started from
 * the test class path) runs a ShapesWorld iteration; one worker is killed by its pid while the
 * sample stage runs, and the run still writes the files of the uninterrupted in-process run.
 */
@Tag("cluster")
class StandaloneClusterTest {

  @TempDir Path tmp;

  @Test
  @Timeout(240)
  void killingAWorkerMidStageLosesNothing() {
    List<Prompt> prompts = ShapesRuns.prompts(6);
    String classPath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    try (LocalStandaloneCluster cluster =
        LocalStandaloneCluster.launch(tmp.resolve("cluster"), 2, 1, classPath)) {
      // The uninterrupted run to compare with, while the cluster's JVMs come up.
      Path local = tmp.resolve("in-process");
      ShapesRuns.run(local, 1, StageRunner.inProcess(), prompts);
      cluster.awaitReady();
      SparkSession.Builder b = SparkSession.builder().master(cluster.masterUrl())
          .appName("rlaifv-cluster-test").config("spark.executor.memory", "1g");
      cluster.driverConf().forEach(b::config);
      SparkSession spark = b.getOrCreate();
      try {
        LocalStandaloneCluster.awaitExecutors(spark.sparkContext(), 2);
        AtomicInteger lostTasks = new AtomicInteger();
        spark.sparkContext().addSparkListener(new SparkListener() {
          @Override
          public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() instanceof TaskFailedReason) {
              lostTasks.incrementAndGet();
            }
          }
        });
        AtomicLong killed = new AtomicLong(-1);
        Path onCluster = tmp.resolve("cluster-run");
        ShapesRuns.loop(onCluster, 1, new SparkStageRunner(spark).withPromptsPerTask(1))
            .listener(new LoopListener() {
              @Override
              public void onStageProgress(int iteration, Stage stage, int done, int total) {
                if (stage == Stage.SAMPLE && done == 1 && killed.get() < 0) {
                  killed.set(cluster.workerPid(1));
                  cluster.killWorker(1);
                }
              }
            })
            .build().run(prompts);
        assertTrue(killed.get() > 0, "a worker was killed during the sample stage");
        assertEquals(1, spark.sparkContext().statusTracker().getExecutorInfos().length - 1,
            "one executor is left");
        for (String f : List.of("responses.jsonl", "scores.jsonl", "pairs.jsonl")) {
          assertArrayEquals(ShapesRuns.file(local, 1, f), ShapesRuns.file(onCluster, 1, f), f);
        }
        System.err.println("StandaloneClusterTest: worker pid " + killed.get() + " killed; "
            + lostTasks.get() + " task(s) failed and were run again");
      } finally {
        spark.stop();
      }
    }
  }
}
