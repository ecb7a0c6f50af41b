package org.rlaifv.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.hf.ChatTemplate;
import org.rlaifv.core.hf.TokenizerConfig;

/** Token ids against @huggingface/transformers (node) on published tokenizers. */
class HfTokenizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;

  private static final Map<String, Path> DIRS = new HashMap<>();
  private static final Map<String, HfTokenizer> TOKENIZERS = new HashMap<>();
  private static Path mistralDir;
  private static HfTokenizer mistral;
  private static HfTokenizer qwen;

  @BeforeAll
  static void unpack() throws IOException {
    for (String name : List.of("llava-1.5", "mistral", "qwen2.5")) {
      Path dir = modelDirectory(name);
      DIRS.put(name, dir);
      TOKENIZERS.put(name, HfTokenizer.fromModelDirectory(dir));
    }
    mistralDir = DIRS.get("mistral");
    mistral = TOKENIZERS.get("mistral");
    qwen = TOKENIZERS.get("qwen2.5");
  }

  @AfterAll
  static void close() {
    TOKENIZERS.values().forEach(HfTokenizer::close);
  }

  /** Copies a fixture model directory to a temp dir, gunzipping tokenizer.json.gz. */
  private static Path modelDirectory(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (String file : List.of("tokenizer_config.json", "chat_template.jinja", "chat_template.json")) {
      try (InputStream in = resource("hf-tokenizers/" + name + "/" + file)) {
        if (in != null) {
          Files.copy(in, dir.resolve(file));
        }
      }
    }
    try (InputStream in = new GZIPInputStream(resource("hf-tokenizers/" + name + "/tokenizer.json.gz"))) {
      Files.copy(in, dir.resolve("tokenizer.json"));
    }
    return dir;
  }

  private static InputStream resource(String path) {
    return HfTokenizerTest.class.getClassLoader().getResourceAsStream(path);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> golden(String name) {
    try (InputStream in = resource("golden/tokenizers/" + name + ".json")) {
      return JSON.readValue(in, Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HfTokenizer tokenizer(String name) {
    return TOKENIZERS.get(name);
  }

  private static Path dir(String name) {
    return DIRS.get(name);
  }

  private static long[] ids(Object list) {
    return ((List<?>) list).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
  }

  @SuppressWarnings("unchecked")
  @ParameterizedTest
  @ValueSource(strings = {"llava-1.5", "mistral", "qwen2.5"})
  void plainTextIdsEqualNode(String name) {
    HfTokenizer tok = tokenizer(name);
    for (Map<String, Object> t : (List<Map<String, Object>>) golden(name).get("texts")) {
      String text = (String) t.get("text");
      assertArrayEquals(ids(t.get("with_special_tokens")), tok.encode(text, true), text);
      assertArrayEquals(ids(t.get("without_special_tokens")), tok.encode(text, false), text);
    }
  }

  @SuppressWarnings("unchecked")
  @ParameterizedTest
  @ValueSource(strings = {"llava-1.5", "mistral", "qwen2.5"})
  void longTextIsNotTruncated(String name) {
    Map<String, Object> long_ = (Map<String, Object>) golden(name).get("long");
    long[] expected = ids(long_.get("with_special_tokens"));
    assertTrue(expected.length > 512, "golden text must exceed DJL's default 512 tokens");
    assertArrayEquals(expected, tokenizer(name).encode((String) long_.get("text"), true));
  }

  @SuppressWarnings("unchecked")
  @ParameterizedTest
  @ValueSource(strings = {"llava-1.5", "mistral", "qwen2.5"})
  void renderedPromptsEncodeAsNodeAndAnswerIdsMatch(String name) {
    Map<String, Object> golden = golden(name);
    TokenizerConfig cfg = TokenizerConfig.fromModelDirectory(dir(name));
    List<String> words = (List<String>) golden.get("answer_words");
    for (Map<String, Object> p : (List<Map<String, Object>>) golden.get("prompts")) {
      String rendered = (String) p.get("rendered");
      assertArrayEquals(ids(p.get("prompt_ids")), tokenizer(name).encodePrompt(rendered, cfg), rendered);
      List<Long> expected = ((List<Number>) p.get("first_answer_ids")).stream().map(Number::longValue).toList();
      if (!expected.isEmpty()) {
        assertEquals(expected, tokenizer(name).firstAnswerIds(rendered, words), rendered);
      }
    }
  }

  @Test
  void templateWritingBosDoesNotGetItTwice() {
    TokenizerConfig cfg = TokenizerConfig.fromModelDirectory(mistralDir);
    String prompt = ChatTemplate.fromModelDirectory(mistralDir)
        .render(List.of(Map.of("role", "user", "content", "Is there a red circle?")), true);
    assertTrue(prompt.startsWith("<s>"), prompt);
    long bos = mistral.tokenId("<s>");
    long[] ids = mistral.encodePrompt(prompt, cfg);
    assertEquals(bos, ids[0]);
    assertEquals(1, Stream.of(ids).flatMapToLong(java.util.Arrays::stream).filter(id -> id == bos).count());
    // Without the rule the post-processor would add a second BOS.
    long[] naive = mistral.encode(prompt, true);
    assertEquals(bos, naive[1]);
    // A prompt that does not start with BOS gets it from the post-processor.
    long[] plain = mistral.encodePrompt("[INST] hi [/INST]", cfg);
    assertEquals(bos, plain[0]);
  }

  @SuppressWarnings("unchecked")
  @ParameterizedTest
  @ValueSource(strings = {"llava-1.5", "mistral", "qwen2.5"})
  void decodesAsNode(String name) {
    for (Map<String, Object> d : (List<Map<String, Object>>) golden(name).get("decoded")) {
      long[] ids = ids(d.get("ids"));
      assertEquals(d.get("skip_special_tokens"), tokenizer(name).decode(ids, true));
      assertEquals(d.get("keep_special_tokens"), tokenizer(name).decode(ids, false));
    }
  }

  @Test
  void llavaProcessorPromptEncodesAsTransformersTestsExpect() {
    // transformers tests/models/llava/test_processor_llava.py::test_chat_template_dict, for
    // llava-hf/llava-1.5-7b-hf: apply_chat_template(messages, add_generation_prompt=True, tokenize=True).
    Path dir = dir("llava-1.5");
    String prompt = ChatTemplate.fromModelDirectory(dir).renderUserTurn("What is shown in this image?", true);
    long[] expected = {1, 3148, 1001, 29901, 29871, 32000, 29871, 13, 5618, 338, 4318, 297, 445, 1967, 29973, 319,
        1799, 9047, 13566, 29901};
    assertArrayEquals(expected, tokenizer("llava-1.5").encodePrompt(prompt, TokenizerConfig.fromModelDirectory(dir)));
    assertEquals(32000L, tokenizer("llava-1.5").tokenId("<image>"));
  }

  @Test
  void tokenIdOfSpecialTokensAndErrors() {
    assertEquals(151645L, qwen.tokenId("<|im_end|>"));
    assertEquals(2L, mistral.tokenId("</s>"));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> qwen.tokenId("two words"));
    assertTrue(e.getMessage().contains(qwen.file().toString()), e.getMessage());
  }

  @Test
  void firstAnswerIdHandlesAMergeWithThePromptsLastToken() {
    // "...:" followed by "Yes" vs " Yes": the ids differ, and each is the first id after the prompt.
    List<Long> ids = qwen.firstAnswerIds("Answer:", List.of("Yes", " Yes", "Yes"));
    assertEquals(2, ids.size());
    long[] prompt = qwen.encode("Answer:", false);
    long[] withYes = qwen.encode("Answer: Yes", false);
    assertEquals(withYes[prompt.length], ids.get(1));
  }

  @Test
  void missingFileIsNamed() {
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfTokenizer.fromModelDirectory(tmp.resolve("none")));
    assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
  }
}
