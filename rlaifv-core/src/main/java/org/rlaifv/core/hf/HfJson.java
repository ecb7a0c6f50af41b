package org.rlaifv.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlaifv.ModelFormatException;

/** Reads the JSON files of a model directory, naming the file in every error. */
final class HfJson {
  // The SDK's one mapper configuration: read limits for untrusted files, duplicate keys refused,
  // NaN and Infinity accepted (Python's json module writes them and some configs contain them).
  static final ObjectMapper MAPPER = org.rlaifv.core.io.Json.newMapper(false);

  private HfJson() {}

  static JsonNode read(Path file) {
    try {
      JsonNode node = MAPPER.readTree(Files.readString(file));
      if (node == null || !node.isObject()) {
        throw new ModelFormatException(file + " is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
