package org.rlaifv.djl.model;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The reference's golden model directories under {@code src/test/resources/hf}. */
public final class HfGoldenCases {
  private HfGoldenCases() {}

  /**
   * Lists the cases.
   *
   * @return directory names holding a golden.json, sorted
   * @throws IOException when the resources cannot be listed
   * @throws URISyntaxException never for file resources
   */
  public static List<String> names() throws IOException, URISyntaxException {
    Path root = Path.of(HfGoldenCases.class.getResource("/hf").toURI());
    try (Stream<Path> dirs = Files.list(root)) {
      List<String> names =
          dirs.filter(d -> Files.isRegularFile(d.resolve("golden.json")))
              .map(d -> d.getFileName().toString())
              .sorted()
              .toList();
      if (names.isEmpty()) {
        throw new IllegalStateException("no golden cases under " + root);
      }
      return names;
    }
  }

  /**
   * Returns a case's directory.
   *
   * @param name the case
   * @return its model directory
   * @throws URISyntaxException never for file resources
   */
  public static Path dir(String name) throws URISyntaxException {
    return Path.of(HfGoldenCases.class.getResource("/hf/" + name).toURI());
  }
}
