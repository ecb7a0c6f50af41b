package org.rlaifv.core.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rlaifv.ModelFormatException;

class ChatTemplateTest {
  private static final List<String> MODELS = List.of("llava-1.5", "llava-onevision-qwen", "qwen2.5", "llama-3", "mistral");

  @SuppressWarnings("unchecked")
  static Stream<Arguments> goldenCases() {
    List<Arguments> out = new ArrayList<>();
    for (String model : MODELS) {
      Map<String, Object> golden = HfFixtures.golden("golden/chat/" + model + ".json");
      for (Map<String, Object> c : (List<Map<String, Object>>) golden.get("cases")) {
        out.add(Arguments.of(model, c.get("id"), c.get("messages"), c.get("add_generation_prompt"), c.get("rendered")));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("goldenCases")
  void rendersAsTransformersDoes(
      String model, String id, List<Map<String, Object>> messages, boolean addGenerationPrompt, String expected) {
    ChatTemplate template = ChatTemplate.fromModelDirectory(HfFixtures.modelDir(model));
    assertEquals(expected, template.render(messages, addGenerationPrompt));
  }

  @Test
  void renderUserTurnPutsTheImageFirst() {
    ChatTemplate llava = ChatTemplate.fromModelDirectory(HfFixtures.modelDir("llava-1.5"));
    // transformers' tests/models/llava/test_processor_llava.py::test_chat_template
    assertEquals("USER: <image>\nWhat is shown in this image? ASSISTANT:",
        llava.renderUserTurn("What is shown in this image?", true));
    assertEquals("USER: Hi ASSISTANT:", llava.renderUserTurn("Hi", false));
  }

  @Test
  void raiseExceptionNamesTheTemplate() {
    Path dir = HfFixtures.modelDir("mistral");
    ChatTemplate mistral = ChatTemplate.fromModelDirectory(dir);
    List<Map<String, Object>> twoUsers = List.of(
        Map.of("role", "user", "content", "a"), Map.of("role", "user", "content", "b"));
    TemplateException e = assertThrows(TemplateException.class, () -> mistral.render(twoUsers, true));
    assertTrue(e.getMessage().contains(dir.resolve("chat_template.jinja").toString()), e.getMessage());
    assertTrue(e.getMessage().contains(
        "After the optional system message, conversation roles must alternate user/assistant/user/assistant/..."),
        e.getMessage());
  }

  @Test
  void unknownMethodIsAnErrorNotSilence() {
    ChatTemplate t = ChatTemplate.of("{{ 'x'.nosuchmethod() }}", "inline", TokenizerConfig.empty());
    TemplateException e = assertThrows(TemplateException.class, () -> t.render(List.of(), false));
    assertTrue(e.getMessage().contains("inline"), e.getMessage());
  }

  @Test
  void userTextIsNotInterpretedAsTemplate() {
    ChatTemplate qwen = ChatTemplate.fromModelDirectory(HfFixtures.modelDir("qwen2.5"));
    String out = qwen.render(List.of(Map.of("role", "user", "content", "{{ 7 * 6 }} {% if true %}x{% endif %}")), false);
    assertTrue(out.contains("{{ 7 * 6 }} {% if true %}x{% endif %}"), out);
  }

  @Test
  void chatTemplateJsonWinsOverJinjaOverProcessorConfigOverTokenizerConfig(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tokenizer_config.json"),
        "{\"bos_token\": {\"__type\": \"AddedToken\", \"content\": \"<s>\"}, \"chat_template\": \"tok{{ bos_token }}\"}");
    assertEquals("tok<s>", ChatTemplate.fromModelDirectory(dir).render(List.of(), false));
    Files.writeString(dir.resolve("processor_config.json"), "{\"chat_template\": \"proc\"}");
    assertEquals("proc", ChatTemplate.fromModelDirectory(dir).render(List.of(), false));
    Files.writeString(dir.resolve("chat_template.jinja"), "jinja{{ bos_token }}\n");
    assertEquals("jinja<s>", ChatTemplate.fromModelDirectory(dir).render(List.of(), false));
    Files.writeString(dir.resolve("chat_template.json"), "{\"chat_template\": \"json\"}");
    ChatTemplate json = ChatTemplate.fromModelDirectory(dir);
    assertEquals("json", json.render(List.of(), false));
    assertEquals(dir.resolve("chat_template.json").toString(), json.name());
  }

  @Test
  void listFormUsesTheDefaultTemplate(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": ["
        + "{\"name\": \"tool_use\", \"template\": \"tools\"}, {\"name\": \"default\", \"template\": \"plain\"}]}");
    assertEquals("plain", ChatTemplate.fromModelDirectory(dir).render(List.of(), false));
    Files.writeString(dir.resolve("tokenizer_config.json"),
        "{\"chat_template\": [{\"name\": \"tool_use\", \"template\": \"tools\"}]}");
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ChatTemplate.fromModelDirectory(dir));
    assertTrue(e.getMessage().contains("tool_use") && e.getMessage().contains("default"), e.getMessage());
  }

  @Test
  void missingTemplateNamesTheDirectory(@TempDir Path dir) {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ChatTemplate.fromModelDirectory(dir));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
  }

  @Test
  void extraVariablesReachTheTemplate() {
    ChatTemplate t = ChatTemplate.of("{{ greeting }}{% if add_vision_id %}!{% endif %}", "inline", TokenizerConfig.empty())
        .withVariables(Map.of("greeting", "hi"));
    assertEquals("hi!", t.render(List.of(), false, Map.of("add_vision_id", true)));
  }
}
