package org.rlaifv.core.hf;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;

/** Test access to the model-directory fixtures and goldens on the test classpath. */
final class HfFixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private HfFixtures() {}

  /** A fixture model directory (copied from rlaifv-djl's hf-tokenizers by the build). */
  static Path modelDir(String name) {
    return resource("hf-tokenizers/" + name + "/tokenizer_config.json").getParent();
  }

  static Path resource(String path) {
    URL url = HfFixtures.class.getClassLoader().getResource(path);
    if (url == null) {
      throw new IllegalStateException("missing test resource " + path);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> golden(String path) {
    try (InputStream in = HfFixtures.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing golden " + path);
      }
      return JSON.readValue(in, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
