package org.rlaifv.core.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.ModelFormatException;

class TokenizerConfigTest {

  @Test
  void readsPublishedLlama3Config() {
    TokenizerConfig cfg = TokenizerConfig.fromModelDirectory(HfFixtures.modelDir("llama-3"));
    assertEquals(Optional.of("<|begin_of_text|>"), cfg.bosToken());
    assertEquals(Optional.of("<|eot_id|>"), cfg.eosToken());
    assertEquals(Optional.empty(), cfg.padToken());
    assertEquals(256, cfg.addedTokens().size());
    assertEquals(new TokenizerConfig.AddedToken("<|begin_of_text|>", true), cfg.addedTokens().get(128000));
    assertEquals("<|eot_id|>", cfg.addedTokens().get(128009).content());
    // 1000000000000000019884624838656 is transformers' VERY_LARGE_INTEGER written out.
    assertEquals(TokenizerConfig.NO_LIMIT, cfg.modelMaxLength());
    assertTrue(cfg.chatTemplates().get("default").contains("<|start_header_id|>"));
  }

  @Test
  void readsAddedTokenObjectsAsTheirContent() {
    TokenizerConfig cfg = TokenizerConfig.fromModelDirectory(HfFixtures.modelDir("llava-1.5"));
    assertEquals(Optional.of("<s>"), cfg.bosToken());
    assertEquals(Optional.of("</s>"), cfg.eosToken());
    assertEquals(Optional.of("<unk>"), cfg.unkToken());
    assertEquals(Optional.of("<pad>"), cfg.padToken());
    assertEquals(Optional.of(true), cfg.addBosToken());
    assertEquals(Optional.of(false), cfg.addEosToken());
    assertEquals(4096, cfg.modelMaxLength());
    assertEquals("<image>", cfg.addedTokens().get(32000).content());
    assertEquals(Map.of("bos_token", "<s>", "eos_token", "</s>", "unk_token", "<unk>", "pad_token", "<pad>"),
        cfg.templateSpecialTokens());
  }

  @Test
  void nullTokensAreAbsent() {
    TokenizerConfig cfg = TokenizerConfig.fromModelDirectory(HfFixtures.modelDir("qwen2.5"));
    assertEquals(Optional.empty(), cfg.bosToken());
    assertEquals(Optional.of("<|im_end|>"), cfg.eosToken());
    assertEquals(Optional.of(false), cfg.addBosToken());
    assertEquals(Optional.empty(), cfg.addEosToken());
    assertFalse(cfg.templateSpecialTokens().containsKey("bos_token"));
  }

  @Test
  void missingFileGivesTransformersDefaults(@TempDir Path dir) {
    TokenizerConfig cfg = TokenizerConfig.fromModelDirectory(dir);
    assertEquals(TokenizerConfig.empty(), cfg);
    assertEquals(TokenizerConfig.NO_LIMIT, cfg.modelMaxLength());
    assertTrue(cfg.addedTokens().isEmpty() && cfg.chatTemplates().isEmpty());
    assertThrows(ModelFormatException.class, () -> TokenizerConfig.read(dir.resolve("tokenizer_config.json")));
  }

  @Test
  void errorsNameFileAndField(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("tokenizer_config.json");
    Files.writeString(file, "{\"bos_token\": 5}");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> TokenizerConfig.read(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("bos_token"), e.getMessage());
    Files.writeString(file, "{\"added_tokens_decoder\": {\"x\": {\"content\": \"a\"}}}");
    e = assertThrows(ModelFormatException.class, () -> TokenizerConfig.read(file));
    assertTrue(e.getMessage().contains("added_tokens_decoder"), e.getMessage());
    Files.writeString(file, "{\"add_bos_token\": \"yes\"}");
    e = assertThrows(ModelFormatException.class, () -> TokenizerConfig.read(file));
    assertTrue(e.getMessage().contains("add_bos_token"), e.getMessage());
    Files.writeString(file, "not json");
    e = assertThrows(ModelFormatException.class, () -> TokenizerConfig.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }
}
