package org.rlaifv.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.launcher.JavaModuleOptions;
import org.rlaifv.RlaifvException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark standalone cluster on this machine, for tests and benchmarks: a master and a number of
 * worker JVMs started from a class path that holds Spark and the project (for example the Maven
 * test class path), each worker offering a fixed number of cores. Executors the workers launch get
 * the same class path through {@link #driverConf()}.
 *
 * <pre>{@code
 * try (LocalStandaloneCluster cluster = LocalStandaloneCluster.start(dir, 2, 1, classPath)) {
 *   SparkSession.Builder b = SparkSession.builder().master(cluster.masterUrl());
 *   cluster.driverConf().forEach(b::config);
 *   ...
 *   cluster.killWorker(1);                       // SIGKILL, as a machine failure would
 * }
 * }</pre>
 *
 * <p>The JVMs are started with Spark's Java module options ({@link JavaModuleOptions}); their
 * output goes to log files in the working directory. Closing the cluster kills every process it
 * started. Not thread-safe.
 */
public final class LocalStandaloneCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalStandaloneCluster.class);

  /** How long a JVM may take to come up on a busy machine. */
  private static final long START_TIMEOUT_MS = 120_000;

  private final Path dir;
  private final String classPath;
  private final String masterUrl;
  private final Process master;
  private final List<Process> workers = new ArrayList<>();

  private LocalStandaloneCluster(Path dir, String classPath, String masterUrl, Process master) {
    this.dir = dir;
    this.classPath = absolute(classPath);
    this.masterUrl = masterUrl;
    this.master = master;
  }

  /**
   * Starts a master and workers and waits until every worker has registered.
   *
   * @param dir working directory (logs, the workers' directories, an empty Spark home)
   * @param workers how many workers
   * @param coresPerWorker cores each worker offers
   * @param classPath the class path of every JVM: Spark, the project and its backends
   * @return the running cluster, closed by the caller
   * @throws RlaifvException when a JVM does not come up in time (its log is named)
   */
  public static LocalStandaloneCluster start(Path dir, int workers, int coresPerWorker,
      String classPath) {
    LocalStandaloneCluster c = launch(dir, workers, coresPerWorker, classPath);
    c.awaitReady();
    return c;
  }

  /**
   * Starts the master and the workers' JVMs without waiting for them, so that the caller can do
   * other work while they come up; call {@link #awaitReady()} before using the cluster.
   *
   * @param dir working directory (logs, the workers' directories, an empty Spark home)
   * @param workers how many workers
   * @param coresPerWorker cores each worker offers
   * @param classPath the class path of every JVM: Spark, the project and its backends
   * @return the starting cluster, closed by the caller
   */
  public static LocalStandaloneCluster launch(Path dir, int workers, int coresPerWorker,
      String classPath) {
    LocalStandaloneCluster c = null;
    try {
      // The workers build executor command lines from a Spark home; an empty one with the
      // executors' class path given by the driver (spark.executor.extraClassPath) is enough.
      Files.createDirectories(dir.resolve("spark-home").resolve("jars"));
      // The master and workers log at INFO (their start is read from the log), whatever the
      // class path's own log configuration says.
      Files.writeString(dir.resolve("log4j2-cluster.properties"), String.join("\n",
          "rootLogger.level = info",
          "rootLogger.appenderRef.stdout.ref = console",
          "appender.console.type = Console",
          "appender.console.name = console",
          "appender.console.layout.type = PatternLayout",
          "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n", ""));
      int port = freePort();
      String url = "spark://127.0.0.1:" + port;
      Process m = startJvm(dir, absolute(classPath), "master", List.of("org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port",
          Integer.toString(freePort())));
      c = new LocalStandaloneCluster(dir, classPath, url, m);
      for (int i = 0; i < workers; i++) {
        c.launchWorker(coresPerWorker);
      }
      return c;
    } catch (IOException e) {
      if (c != null) {
        c.close();
      }
      throw new UncheckedIOException("cannot start a standalone cluster in " + dir, e);
    } catch (RuntimeException | Error e) {
      if (c != null) {
        c.close();
      }
      throw e;
    }
  }

  /**
   * Waits until the master leads and every worker has registered with it.
   *
   * @throws RlaifvException when a JVM does not come up in time (its log is named)
   */
  public void awaitReady() {
    awaitLog("master", "I have been elected leader");
    for (int i = 0; i < workers.size(); i++) {
      awaitLog("worker-" + i, "Successfully registered with master");
    }
  }

  /**
   * Starts one more worker and waits until it has registered with the master.
   *
   * @param cores cores it offers
   * @return its index
   */
  public int addWorker(int cores) {
    int i = launchWorker(cores);
    awaitLog("worker-" + i, "Successfully registered with master");
    return i;
  }

  private int launchWorker(int cores) {
    int i = workers.size();
    String name = "worker-" + i;
    Path workDir = dir.resolve(name);
    try {
      Files.createDirectories(workDir);
      workers.add(startJvm(dir, classPath, name, List.of("org.apache.spark.deploy.worker.Worker",
          "--host", "127.0.0.1", "--cores", Integer.toString(cores), "--memory", "2g",
          "--work-dir", workDir.toString(), "--webui-port", Integer.toString(freePort()),
          masterUrl)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " in " + dir, e);
    }
    return i;
  }

  /**
   * Returns the master's URL, for {@code SparkSession.builder().master(...)}.
   *
   * @return {@code spark://127.0.0.1:PORT}
   */
  public String masterUrl() {
    return masterUrl;
  }

  /**
   * Returns the settings a driver of this cluster needs: the executors' class path and Java
   * options (offline DJL, one intra-op thread, Spark's module options), the driver's address.
   *
   * @return Spark configuration entries
   */
  public Map<String, String> driverConf() {
    return Map.of(
        "spark.executor.extraClassPath", classPath,
        "spark.executor.extraJavaOptions", "-Dai.djl.offline=true "
            + "-Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1",
        "spark.executorEnv.OPT_OUT_TRACKING", "true",
        "spark.executorEnv.OMP_NUM_THREADS", "1",
        "spark.driver.host", "127.0.0.1",
        "spark.driver.bindAddress", "127.0.0.1",
        "spark.ui.enabled", "false",
        "spark.plugins", RolesPlugin.NAME);
  }

  /**
   * Waits until an application of this cluster has this many executors.
   *
   * @param sc the application's context
   * @param executors how many executors to wait for
   * @throws RlaifvException when they do not come up in time
   */
  public static void awaitExecutors(SparkContext sc, int executors) {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    // The status tracker lists the driver too.
    while (sc.statusTracker().getExecutorInfos().length - 1 < executors) {
      if (System.currentTimeMillis() > deadline) {
        throw new RlaifvException("the cluster did not start " + executors + " executors within "
            + START_TIMEOUT_MS / 1000 + " s");
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RlaifvException("interrupted while waiting for executors");
      }
    }
  }

  /**
   * Returns the CPU time used so far by the executor JVMs of the live workers (the workers'
   * descendant processes), as the operating system reports it.
   *
   * @return the summed CPU time
   */
  public Duration executorCpuTime() {
    Duration total = Duration.ZERO;
    for (Process w : workers) {
      if (!w.isAlive()) {
        continue;
      }
      for (ProcessHandle h : (Iterable<ProcessHandle>) w.descendants()::iterator) {
        total = total.plus(h.info().totalCpuDuration().orElse(Duration.ZERO));
      }
    }
    return total;
  }

  /**
   * Returns a worker JVM's process id.
   *
   * @param index the worker's index
   * @return the pid
   */
  public long workerPid(int index) {
    return workers.get(index).pid();
  }

  /**
   * Kills a worker JVM with SIGKILL, as a lost machine; its executor exits when it notices.
   *
   * @param index the worker's index
   */
  public void killWorker(int index) {
    Process p = workers.get(index);
    LOG.info("killing worker {} (pid {})", index, p.pid());
    p.destroyForcibly();
  }

  /** Kills every process of the cluster, workers first. */
  @Override
  public void close() {
    for (Process w : workers) {
      w.descendants().forEach(ProcessHandle::destroyForcibly);
      w.destroyForcibly();
    }
    master.destroyForcibly();
    for (Process p : workers) {
      waitQuietly(p);
    }
    waitQuietly(master);
  }

  private static void waitQuietly(Process p) {
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Process startJvm(Path dir, String classPath, String name, List<String> mainAndArgs)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
    // The master and workers only schedule: a small heap, the quick compiler, one GC thread.
    cmd.add("-Xmx512m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2-cluster.properties").toUri());
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", dir.resolve("spark-home").toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("OPT_OUT_TRACKING", "true");
    Process p = pb.start();
    LOG.info("started {} (pid {}), log {}", name, p.pid(), dir.resolve(name + ".log"));
    return p;
  }

  private void awaitLog(String name, String line) {
    Path log = dir.resolve(name + ".log");
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
          return;
        }
        Thread.sleep(200);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + log, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RlaifvException("interrupted while starting " + name);
      }
    }
    throw new RlaifvException(name + " of the standalone cluster did not start within "
        + START_TIMEOUT_MS / 1000 + " s; see " + log);
  }

  /** The class path with absolute entries: executors run in their own working directories. */
  private static String absolute(String classPath) {
    List<String> out = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        out.add(entry.endsWith("*") ? entry
            : Path.of(entry).toAbsolutePath().normalize().toString());
      }
    }
    return String.join(File.pathSeparator, out);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
