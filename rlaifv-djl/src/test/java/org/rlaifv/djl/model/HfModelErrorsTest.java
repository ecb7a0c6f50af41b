package org.rlaifv.djl.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.BackendException;
import org.rlaifv.Checkpoint;
import org.rlaifv.ModelFormatException;
import org.rlaifv.RlaifvException;
import org.rlaifv.djl.DjlBackendProvider;
import org.rlaifv.spi.BackendOptions;

/**
 * Bad Hugging Face model directories fail at open with a message naming the file and the field or
 * tensor, before any expensive work.
 */
class HfModelErrorsTest {
  @TempDir Path tmp;

  private Path copy(String name) throws Exception {
    Path src = HfGoldenCases.dir(name);
    Path dst = tmp.resolve(name);
    Files.createDirectories(dst);
    try (Stream<Path> files = Files.list(src)) {
      for (Path f : files.toList()) {
        Files.copy(f, dst.resolve(f.getFileName()));
      }
    }
    return dst;
  }

  private static void edit(Path file, String from, String to) throws IOException {
    String s = Files.readString(file);
    assertTrue(s.contains(from), file + " lacks " + from);
    Files.writeString(file, s.replace(from, to));
  }

  private static String failure(Path dir) {
    return assertThrows(RlaifvException.class, () -> LoadedVlm.load(dir, Device.cpu()).close())
        .getMessage();
  }

  @Test
  void unknownModelTypesAreNamed() throws Exception {
    Path d = copy("llava-clip-llama");
    Path cfg = d.resolve("config.json");
    edit(cfg, "\"model_type\": \"llava\"", "\"model_type\": \"llava_next\"");
    String msg = failure(d);
    assertTrue(msg.contains(cfg.toString()) && msg.contains("model_type llava_next"), msg);
    edit(cfg, "\"model_type\": \"llava_next\"", "\"model_type\": \"llava\"");
    edit(cfg, "\"model_type\": \"clip_vision_model\"", "\"model_type\": \"dinov2\"");
    msg = failure(d);
    assertTrue(msg.contains(cfg.toString()) && msg.contains("vision_config.model_type dinov2"), msg);
  }

  @Test
  void aTensorMissingFromEveryShardIsNamed() throws Exception {
    Path d = copy("llava-clip-llama");
    // attention biases the weights do not hold
    edit(d.resolve("config.json"), "\"model_type\": \"llama\"", "\"model_type\": \"llama\", \"attention_bias\": true");
    String msg = failure(d);
    assertTrue(msg.contains("language_model.model.layers.0.self_attn.q_proj.bias")
        && msg.contains("missing from every weights file"), msg);
  }

  @Test
  void aMissingShardIsNamed() throws Exception {
    Path d = copy("llava-siglip-qwen2");
    Files.delete(d.resolve("model-00002-of-00002.safetensors"));
    String msg = failure(d);
    assertTrue(msg.contains("model.safetensors.index.json") && msg.contains("model-00002-of-00002.safetensors"),
        msg);
  }

  @Test
  void aShapeThatDisagreesWithTheConfigIsNamed() throws Exception {
    Path d = copy("llava-clip-mistral");
    edit(d.resolve("config.json"), "\"intermediate_size\": 128", "\"intermediate_size\": 96");
    String msg = failure(d);
    assertTrue(msg.contains("model.safetensors") && msg.contains("mlp.") && msg.contains("has shape"), msg);
  }

  @Test
  void anUnsupportedDtypeIsNamed() throws Exception {
    Path d = copy("llava-clip-mistral");
    Path w = d.resolve("model.safetensors");
    byte[] bytes = Files.readAllBytes(w);
    String head = new String(bytes, 8, 200, StandardCharsets.ISO_8859_1);
    int at = head.indexOf("\"F16\"");
    assertTrue(at > 0, head);
    bytes[8 + at + 1] = 'I';
    Files.write(w, bytes);
    String msg = failure(d);
    assertTrue(msg.contains(w.toString()) && msg.contains("unsupported dtype I16"), msg);
  }

  @Test
  void aTemplateThatRaisesIsReportedWithItsFile() throws Exception {
    Path d = copy("llava-clip-llama");
    Files.writeString(d.resolve("chat_template.jinja"), "{{ raise_exception('images are not supported here') }}");
    DjlBackendProvider djl = new DjlBackendProvider();
    RlaifvException e = assertThrows(RlaifvException.class,
        () -> djl.newJudge(Checkpoint.of(d), BackendOptions.defaults()).close());
    assertTrue(e.getMessage().contains("images are not supported here")
        && e.getMessage().contains("chat_template.jinja"), e.getMessage());
  }

  @Test
  void aModelLargerThanTheMemoryIsRefusedBeforeReading() throws Exception {
    Path d = tmp.resolve("huge");
    VlmConfig.VisionConfig v =
        new VlmConfig.VisionConfig(32, 16, 64, 1, 4, 128, 1e-6, VlmConfig.VisionConfig.SIGLIP,
            "gelu_pytorch_tanh", false);
    // about 200B parameters: no machine here holds them as float32
    VlmConfig cfg = new VlmConfig(16384, 96, 128, 8, 53248, 1e-6, 1e6, 152064, 32768, 0.02, v,
        "gelu", -1, "qwen2", 128, true, false, false, false, 0, "full", true, 151646, "silu");
    RandomHfModels.write(d, cfg, 1L << 40, false);
    BackendException e =
        assertThrows(BackendException.class, () -> VlmModel.load(d, Device.cpu()).close());
    assertTrue(e.getMessage().contains("MB as float32") && e.getMessage().contains("available"),
        e.getMessage());
  }

  @Test
  void aMissingDirectoryIsReportedAsSuch() {
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> LoadedVlm.load(tmp.resolve("nowhere"), Device.cpu()));
    assertTrue(e.getMessage().contains("model directory") && e.getMessage().contains("does not exist"),
        e.getMessage());
  }
}
