package org.rlaifv.djl.model;

import org.rlaifv.core.hf.PromptFormat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.ModelFormatException;
import org.rlaifv.djl.TinyVlms;

class ModelFilesTest {
  @TempDir Path dir;

  private Path savedModel() {
    Path out = dir.resolve("model");
    try (LoadedVlm vlm = TinyVlms.create(dir, 3)) {
      vlm.save(out);
    }
    return out;
  }

  private static String message(Path modelDir) {
    return assertThrows(ModelFormatException.class, () -> LoadedVlm.load(modelDir, Device.cpu()).close())
        .getMessage();
  }

  @Test
  void truncatedWeightsNameTheFileAndTensor() throws Exception {
    Path m = savedModel();
    Path w = m.resolve(VlmModel.WEIGHTS_FILE);
    byte[] bytes = Files.readAllBytes(w);
    Files.write(w, Arrays.copyOf(bytes, bytes.length - 100));
    String msg = message(m);
    assertTrue(msg.contains(w.toString()) && msg.contains("language_model.lm_head.weight")
        && msg.contains("truncated"), msg);
    Files.write(w, Arrays.copyOf(bytes, 5));
    msg = message(m);
    assertTrue(msg.contains(w.toString()) && msg.contains("truncated"), msg);
  }

  @Test
  void corruptHeaderNamesTheFile() throws Exception {
    Path m = savedModel();
    Path w = m.resolve(VlmModel.WEIGHTS_FILE);
    byte[] bytes = Files.readAllBytes(w);
    bytes[8] = 'x'; // break the JSON header
    Files.write(w, bytes);
    String msg = message(m);
    assertTrue(msg.contains(w.toString()) && msg.contains("corrupt"), msg);
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
    Files.write(w, bytes);
    msg = message(m);
    assertTrue(msg.contains(w.toString()) && msg.contains("header length"), msg);
  }

  @Test
  void configWeightsMismatchNamesTheTensor() throws Exception {
    Path m = savedModel();
    Path cfg = m.resolve(VlmConfig.FILE_NAME);
    String json = Files.readString(cfg).replace("\"intermediate_size\" : 64", "\"intermediate_size\" : 48");
    Files.writeString(cfg, json);
    String msg = message(m);
    assertTrue(msg.contains("language_model.model.layers.0.mlp.gate_proj.weight")
        && msg.contains(m.resolve(VlmModel.WEIGHTS_FILE).toString()), msg);
    Files.writeString(cfg, json.replace("\"intermediate_size\" : 48", "\"intermediate_size\" : 64")
        .replace("\"num_hidden_layers\" : 2,\n    \"num_attention_heads\" : 4", "\"num_hidden_layers\" : 1,\n    \"num_attention_heads\" : 4"));
    msg = message(m);
    assertTrue(msg.contains("unexpected tensor language_model.model.layers.1."), msg);
  }

  @Test
  void missingFilesAndBadFieldsAreNamed() throws Exception {
    Path m = savedModel();
    Files.delete(m.resolve(LoadedVlm.TOKENIZER_FILE));
    String msg = message(m);
    assertTrue(msg.contains("missing tokenizer file") && msg.contains(LoadedVlm.TOKENIZER_FILE), msg);
    Path cfg = m.resolve(VlmConfig.FILE_NAME);
    String json = Files.readString(cfg);
    Files.writeString(cfg, json.replace("\"head_dim\" : 8,", "\"head_dim\" : \"eight\","));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> VlmConfig.read(cfg));
    assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("text_config.head_dim"), e.getMessage());
    Files.writeString(cfg, json.replace("\"model_type\" : \"llama\"", "\"model_type\" : \"gemma\""));
    e = assertThrows(ModelFormatException.class, () -> VlmConfig.read(cfg));
    assertTrue(e.getMessage().contains("text_config.model_type gemma"), e.getMessage());
    Files.writeString(cfg, json.replace("\"num_key_value_heads\" : 2", "\"num_key_value_heads\" : 3"));
    e = assertThrows(ModelFormatException.class, () -> VlmConfig.read(cfg));
    assertTrue(e.getMessage().contains("num_key_value_heads"), e.getMessage());
  }

  @Test
  void configSurvivesJsonRoundTrip() {
    VlmConfig c = TinyVlms.tinyConfig(99).withImageTokenIndex(4);
    Path f = dir.resolve("config.json");
    c.write(f);
    assertEquals(c, VlmConfig.read(f));
  }

  @Test
  void safetensorsRoundTripAndHalfPrecision() throws Exception {
    Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
    t.put("a", new SafeTensors.Tensor(new long[] {2, 2}, new float[] {1, -2, 3.5f, 0}));
    t.put("b", new SafeTensors.Tensor(new long[] {3}, new float[] {7, 8, 9}));
    Path f = dir.resolve("t.safetensors");
    SafeTensors.write(f, t);
    Map<String, SafeTensors.Tensor> back = SafeTensors.read(f);
    assertEquals(List.of("a", "b"), List.copyOf(back.keySet()));
    assertArrayEquals(t.get("a").data(), back.get("a").data());
    // a hand-written F16 + BF16 file
    String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
        + "\"g\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]}}";
    byte[] hb = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + hb.length + 6).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(hb.length).put(hb).putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3FC0);
    Path h = dir.resolve("h.safetensors");
    Files.write(h, buf.array());
    Map<String, SafeTensors.Tensor> half = SafeTensors.read(h);
    assertArrayEquals(new float[] {1f, -2f}, half.get("h").data());
    assertArrayEquals(new float[] {1.5f}, half.get("g").data());
  }

  @Test
  void wordLevelTokenizerRoundTrips() {
    Path tok = dir.resolve("tokenizer.json");
    int vocab = TokenizerFiles.writeWordLevel(tok, TinyVlms.WORDS);
    assertEquals(TinyVlms.WORDS.size() + 5, vocab);
    assertEquals(vocab, TokenizerFiles.vocabularySize(tok));
    try (VlmTokenizer t = VlmTokenizer.load(tok, PromptFormat.defaults())) {
      long[] ids = t.encode("there is a red circle on the top left.");
      assertEquals(10, ids.length);
      assertEquals("there is a red circle on the top left.", t.decode(ids));
      assertEquals(0, t.padId());
      assertEquals(1, t.bosId());
      assertEquals(2, t.eosId());
      assertEquals(4, t.imageId());
      assertArrayEquals(new long[] {4, t.tokenId("USER"), t.tokenId(":")}, t.encode("<image> USER:"));
      assertTrue(t.tokenId("yes") != t.tokenId("Yes"));
      String longText = "red ".repeat(700);
      assertEquals(700, t.encode(longText).length); // no truncation at 512
    }
  }

  @Test
  void idsOnlyEncodingMatchesTheFullEncoding() throws Exception {
    Path tok = dir.resolve("tokenizer.json");
    TokenizerFiles.writeWordLevel(tok, TinyVlms.WORDS);
    try (VlmTokenizer t = VlmTokenizer.load(tok, PromptFormat.defaults());
        HuggingFaceTokenizer full =
            HuggingFaceTokenizer.builder()
                .optTokenizerPath(tok)
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .optPadding(false)
                .build()) {
      for (String text :
          List.of(
              "<s> <image> USER: is there a red circle? ASSISTANT: yes </s>",
              "unseen words, odd   spacing ; and <pad> tokens",
              "",
              "red ".repeat(600))) {
        assertArrayEquals(full.encode(text, false, false).getIds(), t.encode(text), text);
      }
    }
  }

  @Test
  void gradientsFlowToEveryParameter() {
    try (LoadedVlm vlm = TinyVlms.create(dir, 5);
        NDManager m = vlm.model().manager().newSubManager()) {
      for (NDArray p : vlm.model().parameters().values()) {
        p.setRequiresGradient(true);
      }
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        TeacherForcingBatch b = TeacherForcing.batch(vlm, m, List.of(TinyVlms.image(1, 16)),
            List.of("describe the image ."), List.of("there is a red circle ."));
        NDArray logits = vlm.model().forward(b.inputsEmbeds(), b.attentionMask(), b.positionIds(), null);
        NDArray loss = TeacherForcing.sequenceLogProbs(logits, b).neg().sum();
        gc.backward(loss);
      }
      for (Map.Entry<String, NDArray> e : vlm.model().parameters().entrySet()) {
        float g = e.getValue().getGradient().abs().sum().getFloat();
        assertTrue(g > 0,
            "no gradient reaches " + e.getKey());
      }
    }
  }
}
