package org.rlaifv.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.rlaifv.core.io.AtomicFiles;

/**
 * The testkit as a user's dependency: builds {@code src/it/consumer}, a user's project, with Maven
 * against the artifacts of this build, and checks that its tests run and are counted.
 *
 * <p>Module {@code with-bom} follows docs/judge-testing.md (imports {@code junit-bom} and {@code
 * rlaifv-bom}, adds the testkit, JUnit Jupiter and jqwik) with another JUnit 5 version than the
 * SDK's; it must report one JUnit test and one jqwik property. Module {@code junit-only} is the
 * project of the bug report (its own JUnit, no BOM, the testkit declared first); it must report its
 * one test.
 *
 * <p>The nested build installs nothing into the user's local repository: it gets a fresh local
 * repository under {@code target/consumer-it/repo} holding the rlaifv artifacts of this build
 * (jars of the modules' classes and their poms), and reads everything else from the outer build's
 * local repository through a {@code file:} repository, falling back to Maven Central. Runs in the
 * {@code integration-test} phase; {@code -DskipITs} skips it.
 */
class ConsumerProjectIT {

  /** The JUnit 5 version of the consumer project: not the one the SDK is built with. */
  private static final String CONSUMER_JUNIT = "5.11.4";

  @Test
  void aUsersProjectRunsAndCountsItsJUnitTestAndItsJqwikProperty() throws Exception {
    Path root = Path.of(required("rlaifv.it.root")).toAbsolutePath().normalize();
    String version = required("rlaifv.it.version");
    Path work = Path.of(required("rlaifv.it.work")).toAbsolutePath().normalize();
    Path seed = Path.of(System.getProperty("rlaifv.it.seedRepository",
        Path.of(System.getProperty("user.home"), ".m2", "repository").toString()));
    AtomicFiles.deleteRecursively(work);
    Path repo = Files.createDirectories(work.resolve("repo"));
    Path project = work.resolve("consumer");

    install(repo, "rlaifv-parent", version, root.resolve("pom.xml"), null);
    install(repo, "rlaifv-bom", version, root.resolve("rlaifv-bom/pom.xml"), null);
    install(repo, "rlaifv-api", version, root.resolve("rlaifv-api/pom.xml"),
        jarOf(org.rlaifv.Image.class, work));
    install(repo, "rlaifv-core", version, root.resolve("rlaifv-core/pom.xml"),
        jarOf(org.rlaifv.core.io.Json.class, work));
    install(repo, "rlaifv-testkit", version, root.resolve("rlaifv-testkit/pom.xml"),
        jarOf(JudgeHarness.class, work));
    copyProject(root.resolve("rlaifv-testkit/src/it/consumer"), project, Map.of(
        "@rlaifv.version@", version,
        "@junit.version@", CONSUMER_JUNIT,
        "@jqwik.version@", required("rlaifv.it.jqwikVersion")));
    Path settings = work.resolve("settings.xml");
    Files.writeString(settings, settings(repo, seed));

    Path log = work.resolve("build.log");
    List<String> cmd = List.of(mavenExecutable(), "-B", "-s", settings.toString(),
        "-Dmaven.repo.local=" + repo, "-Dstyle.color=never", "test");
    Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(8, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("the consumer build did not finish in 8 minutes; see " + log);
    }
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), "the consumer build failed:\n" + tail(out));

    Map<String, Integer> withBom = testsPerClass(project.resolve("with-bom"));
    assertEquals(Map.of("consumer.LabelerTest", 1, "consumer.VerdictPropertiesTest", 1), withBom,
        "one JUnit test and one jqwik property counted\n" + tail(out));
    assertEquals(Map.of("consumer.LabelerTest", 1), testsPerClass(project.resolve("junit-only")),
        "the JUnit test of a project with its own JUnit counted\n" + tail(out));
    assertTrue(out.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), tail(out));
  }

  private static String required(String property) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException("system property " + property + " is not set; run this test "
          + "through Maven (mvn verify), whose Surefire configuration sets it");
    }
    return v;
  }

  private static String mavenExecutable() {
    String home = System.getProperty("maven.home");
    if (home != null) {
      Path mvn = Path.of(home, "bin", "mvn");
      if (Files.isExecutable(mvn)) {
        return mvn.toString();
      }
    }
    return "mvn";
  }

  /** Returns the jar holding a class, making one from a classes directory when necessary. */
  private static Path jarOf(Class<?> type, Path work) throws IOException, URISyntaxException {
    Path location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (Files.isRegularFile(location)) {
      return location;
    }
    Path jar = work.resolve("jars").resolve(type.getName() + ".jar");
    Files.createDirectories(jar.getParent());
    try (OutputStream os = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(os);
        Stream<Path> files = Files.walk(location)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        out.putNextEntry(new JarEntry(location.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  private static void install(Path repo, String artifactId, String version, Path pom, Path jar)
      throws IOException {
    Path dir = Files.createDirectories(
        repo.resolve("org/rlaifv").resolve(artifactId).resolve(version));
    String base = artifactId + "-" + version;
    Files.copy(pom, dir.resolve(base + ".pom"), StandardCopyOption.REPLACE_EXISTING);
    if (jar != null) {
      Files.copy(jar, dir.resolve(base + ".jar"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void copyProject(Path from, Path to, Map<String, String> values)
      throws IOException {
    Files.walkFileTree(from, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
          throws IOException {
        Files.createDirectories(to.resolve(from.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        for (Map.Entry<String, String> e : values.entrySet()) {
          text = text.replace(e.getKey(), e.getValue());
        }
        Files.writeString(to.resolve(from.relativize(file).toString()), text);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * Settings for the nested build: the outer build's local repository as a read-only remote (so
   * nothing is downloaded twice), Maven Central behind it for what it lacks.
   */
  private static String settings(Path repo, Path seed) {
    String seedUrl = seed.toUri().toString();
    String repository = """
              <id>%s</id><url>%s</url>
              <releases><enabled>true</enabled><checksumPolicy>ignore</checksumPolicy></releases>
              <snapshots><enabled>false</enabled></snapshots>
        """.formatted("outer-local", seedUrl);
    return """
        <settings>
          <localRepository>%s</localRepository>
          <profiles>
            <profile>
              <id>outer-local</id>
              <repositories><repository>%s</repository></repositories>
              <pluginRepositories><pluginRepository>%s</pluginRepository></pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles><activeProfile>outer-local</activeProfile></activeProfiles>
        </settings>
        """.formatted(repo, repository, repository);
  }

  /** Reads the Surefire reports of a module: tests counted per test class. */
  private static Map<String, Integer> testsPerClass(Path module) throws IOException {
    Path reports = module.resolve("target/surefire-reports");
    Map<String, Integer> out = new TreeMap<>();
    if (!Files.isDirectory(reports)) {
      return out;
    }
    Pattern suite = Pattern.compile("<testsuite\\b[^>]*>");
    Pattern name = Pattern.compile("\\bname=\"([^\"]+)\"");
    Pattern tests = Pattern.compile("\\btests=\"(\\d+)\"");
    List<Path> xmls = new ArrayList<>();
    try (Stream<Path> s = Files.list(reports)) {
      s.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).forEach(xmls::add);
    }
    for (Path x : xmls) {
      Matcher m = suite.matcher(Files.readString(x));
      if (m.find()) {
        Matcher n = name.matcher(m.group());
        Matcher t = tests.matcher(m.group());
        if (n.find() && t.find()) {
          out.merge(n.group(1), Integer.parseInt(t.group(1)), Integer::sum);
        }
      }
    }
    return out;
  }

  private static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", java.util.Arrays.asList(lines)
        .subList(Math.max(0, lines.length - 60), lines.length));
  }
}
