package org.rlaifv.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlaifv.core.io.Json;

/** The image goldens written by reference/image_processor_golden.py. */
final class Goldens {

  private Goldens() {}

  /** The directory holding the test images and the JSON goldens. */
  static Path dir() {
    URL url = Goldens.class.getResource("/golden/image/decode.json");
    if (url == null) {
      throw new IllegalStateException("golden/image is missing from the test resources");
    }
    try {
      return Path.of(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code cases} array of one golden file. */
  static JsonNode cases(String name) {
    try {
      return Json.reader().readTree(Files.readAllBytes(dir().resolve(name))).get("cases");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(JsonNode array) {
    byte[] out = new byte[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) array.get(i).intValue();
    }
    return out;
  }

  /** Floats written as the exact decimal of each float32: parse as double, narrow exactly. */
  static float[] floats(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) array.get(i).doubleValue();
    }
    return out;
  }
}
