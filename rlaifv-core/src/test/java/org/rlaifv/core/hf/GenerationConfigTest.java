package org.rlaifv.core.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.ModelFormatException;

class GenerationConfigTest {

  @Test
  void eosMayBeAList(@TempDir Path dir) throws IOException {
    // Meta-Llama-3-8B-Instruct's generation_config.json fields.
    Files.writeString(dir.resolve("generation_config.json"),
        "{\"bos_token_id\": 128000, \"eos_token_id\": [128001, 128009], \"do_sample\": true, \"temperature\": 0.6}");
    GenerationConfig cfg = GenerationConfig.fromModelDirectory(dir);
    assertEquals(List.of(128001L, 128009L), cfg.eosTokenIds());
    assertEquals(OptionalLong.of(128000), cfg.bosTokenId());
    assertEquals(OptionalLong.empty(), cfg.padTokenId());
    assertTrue(cfg.isEos(128009));
    assertFalse(cfg.isEos(128000));
  }

  @Test
  void eosMayBeOneId(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("generation_config.json"),
        "{\"bos_token_id\": 1, \"eos_token_id\": 2, \"pad_token_id\": 32001}");
    GenerationConfig cfg = GenerationConfig.fromModelDirectory(dir);
    assertEquals(new GenerationConfig(List.of(2L), OptionalLong.of(32001), OptionalLong.of(1)), cfg);
  }

  @Test
  void absentFileIsEmpty(@TempDir Path dir) {
    assertEquals(GenerationConfig.empty(), GenerationConfig.fromModelDirectory(dir));
    assertTrue(GenerationConfig.empty().eosTokenIds().isEmpty());
  }

  @Test
  void errorsNameFileAndField(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("generation_config.json");
    Files.writeString(file, "{\"eos_token_id\": [2, \"x\"]}");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> GenerationConfig.read(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("eos_token_id[1]"), e.getMessage());
    Files.writeString(file, "{\"pad_token_id\": -1}");
    e = assertThrows(ModelFormatException.class, () -> GenerationConfig.read(file));
    assertTrue(e.getMessage().contains("pad_token_id"), e.getMessage());
  }
}
