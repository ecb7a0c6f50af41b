package org.rlaifv.core.hf;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlaifv.ModelFormatException;

/** Reads the JSON files of a model directory, naming the file in every error. */
final class HfJson {
  // Python's json module accepts NaN and Infinity, which some configs contain.
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

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
