package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.ModelFormatException;
import org.rlaifv.djl.model.VlmConfig;

/** config.json is read in transformers' nested form and in the earlier flat form alike. */
class OrtConfigTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static OrtConfig parse(String json) throws Exception {
    return OrtConfig.fromJson(JSON.readTree(json));
  }

  @Test
  void nestedFormReadsTextConfig() throws Exception {
    OrtConfig c =
        parse(
            "{\"model_type\": \"llava\", \"image_token_index\": 32000, \"hidden_size\": 7,"
                + " \"text_config\": {\"hidden_size\": 64, \"num_hidden_layers\": 2,"
                + " \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"vocab_size\": 100},"
                + " \"vision_config\": {\"image_size\": 336, \"patch_size\": 14}}");
    assertEquals(new OrtConfig(64, 2, 4, 2, 100, 336, 14, 32000), c);
    assertEquals(16, c.headDim());
    assertEquals(576, c.imageTokens());
  }

  @Test
  void flatFormReadsTheTopLevel() throws Exception {
    OrtConfig c =
        parse(
            "{\"hidden_size\": 32, \"num_hidden_layers\": 1, \"num_attention_heads\": 4,"
                + " \"vocab_size\": 40, \"image_token_id\": 5,"
                + " \"vision_config\": {\"image_size\": 32, \"patch_size\": 16}}");
    assertEquals(4, c.kvHeads(), "key/value heads default to the query heads");
    assertEquals(5, c.imageTokenIndex(), "image_token_id stands in for image_token_index");
    assertEquals(8, c.headDim());
    assertEquals(4, c.imageTokens());
  }

  @Test
  void explicitHeadDimPositionLimitAndImageSequenceLengthAreHonoured() throws Exception {
    OrtConfig c =
        parse(
            "{\"image_seq_length\": 5, \"text_config\": {\"hidden_size\": 64,"
                + " \"num_hidden_layers\": 1, \"num_attention_heads\": 4, \"head_dim\": 32,"
                + " \"max_position_embeddings\": 128, \"vocab_size\": 40},"
                + " \"vision_config\": {\"image_size\": 32, \"patch_size\": 16}}");
    assertEquals(32, c.headDim(), "head_dim is not hidden_size / heads here");
    assertEquals(128, c.maxPositions());
    assertEquals(5, c.imageTokens(), "a class token kept under the full strategy adds one");
    assertTrue(c.hasVision());
  }

  @Test
  void aCausalLmConfigHasNoVision() throws Exception {
    OrtConfig c =
        parse(
            "{\"model_type\": \"qwen2\", \"hidden_size\": 32, \"num_hidden_layers\": 1,"
                + " \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"vocab_size\": 40}");
    assertFalse(c.hasVision());
    assertEquals(0, c.imageTokens());
    assertEquals(Integer.MAX_VALUE, c.maxPositions());
  }

  @Test
  void imageTokenIndexIsMinusOneWhenAbsent() throws Exception {
    OrtConfig c =
        parse(
            "{\"text_config\": {\"hidden_size\": 32, \"num_hidden_layers\": 1,"
                + " \"num_attention_heads\": 4, \"vocab_size\": 40},"
                + " \"vision_config\": {\"image_size\": 32, \"patch_size\": 16}}");
    assertEquals(-1, c.imageTokenIndex());
  }

  @Test
  void badFieldsAreNamed() throws Exception {
    ModelFormatException e =
        assertThrows(
            ModelFormatException.class,
            () ->
                parse(
                    "{\"text_config\": {\"hidden_size\": 32, \"num_hidden_layers\": 0,"
                        + " \"num_attention_heads\": 4, \"vocab_size\": 40},"
                        + " \"vision_config\": {\"image_size\": 32, \"patch_size\": 16}}"));
    assertTrue(e.getMessage().contains("config.json: field num_hidden_layers"), e.getMessage());
    e =
        assertThrows(
            ModelFormatException.class,
            () ->
                parse(
                    "{\"hidden_size\": 32, \"num_hidden_layers\": 1, \"num_attention_heads\": 4,"
                        + " \"vocab_size\": 40, \"vision_config\": {\"patch_size\": 16}}"));
    assertTrue(e.getMessage().contains("field image_size"), e.getMessage());
    assertThrows(ModelFormatException.class, () -> new OrtConfig(32, 1, 4, 4, 40, 32, 0, -1));
  }

  @Test
  void unreadableFileIsNamed() throws Exception {
    Path file = tmp.resolve("config.json");
    Files.writeString(file, "{not json");
    ModelFormatException e =
        assertThrows(ModelFormatException.class, () -> OrtConfig.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void exportsReadAsTheDjlBackendReadsThem() throws Exception {
    Path djl = TinyModels.djlModel(tmp, 3, 32, 2);
    Path onnx = TinyModels.exported(djl);
    VlmConfig d = VlmConfig.read(djl.resolve(VlmConfig.FILE_NAME));
    OrtConfig c = OrtConfig.read(onnx.resolve(OrtConfig.FILE_NAME));
    assertEquals(
        new OrtConfig(
            d.hiddenSize(),
            d.numHiddenLayers(),
            d.numAttentionHeads(),
            d.numKeyValueHeads(),
            d.headDim(),
            d.vocabSize(),
            d.maxPositionEmbeddings(),
            d.visionConfig().imageSize(),
            d.visionConfig().patchSize(),
            d.numImageTokens(),
            d.imageTokenIndex()),
        c);
    assertEquals(d.headDim(), c.headDim());
  }
}
