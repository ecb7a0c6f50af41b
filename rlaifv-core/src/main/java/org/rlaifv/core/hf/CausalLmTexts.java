package org.rlaifv.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.io.Json;

/**
 * The text side of a text-only causal LM directory, shared by every backend's text generator: the
 * chat template a prompt is rendered in, the end-of-sequence ids generation stops at, the padding
 * id and how decoded text is cleaned up.
 *
 * <p>A prompt is rendered as transformers' {@code tokenizer.apply_chat_template([{"role": "user",
 * "content": text}], add_generation_prompt=True)} renders it; the template writes any BOS itself,
 * so the rendered text is encoded without the tokenizer's special tokens. Generation stops at every
 * id of {@code generation_config.json}'s {@code eos_token_id} (one id or a list); without one, at
 * {@code config.json}'s {@code eos_token_id}; without that, at the tokenizer's {@code eos_token}.
 * Padding uses {@code generation_config.json}'s {@code pad_token_id}, else the tokenizer's pad
 * token, else the first end-of-sequence id. Decoded text has the spaces before punctuation and
 * English contractions removed when {@code tokenizer_config.json} sets {@code
 * clean_up_tokenization_spaces}, as transformers' {@code decode} does.
 *
 * <pre>{@code
 * CausalLmTexts texts = CausalLmTexts.open(dir, tokenizer::tokenIdOrNone, vocabSize);
 * long[] ids = tokenizer.encode(texts.render("List the facts."), false);
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class CausalLmTexts {
  private static final ObjectMapper JSON = Json.newMapper(false);
  private static final String CONFIG = "config.json";

  private final ChatTemplate template;
  private final long[] eosIds;
  private final long padId;
  private final boolean cleanUpSpaces;

  private CausalLmTexts(ChatTemplate template, long[] eosIds, long padId, boolean cleanUpSpaces) {
    this.template = template;
    this.eosIds = eosIds;
    this.padId = padId;
    this.cleanUpSpaces = cleanUpSpaces;
  }

  /**
   * Reads the texts of a causal LM directory.
   *
   * @param dir the model directory
   * @param tokenIdOrNone the id of a string the tokenizer encodes as one token, else -1
   * @param vocabSize the model's vocabulary size, which every end-of-sequence id must fall in
   * @return the texts
   * @throws ModelFormatException naming the file when a file is unreadable, the model names no
   *     end-of-sequence token or one lies outside the vocabulary
   */
  public static CausalLmTexts open(Path dir, ToLongFunction<String> tokenIdOrNone, int vocabSize) {
    ChatTemplate template = ChatTemplate.fromModelDirectory(dir);
    TokenizerConfig tc = TokenizerConfig.fromModelDirectory(dir);
    GenerationConfig gc = GenerationConfig.fromModelDirectory(dir);
    List<Long> ids = !gc.eosTokenIds().isEmpty() ? gc.eosTokenIds() : configEosIds(dir.resolve(CONFIG));
    if (ids.isEmpty() && tc.eosToken().isPresent()) {
      long id = tokenIdOrNone.applyAsLong(tc.eosToken().get());
      if (id >= 0) {
        ids = List.of(id);
      }
    }
    if (ids.isEmpty()) {
      throw new ModelFormatException("the model in " + dir + " names no end-of-sequence token:"
          + " neither " + GenerationConfig.FILE_NAME + " nor " + CONFIG
          + " has eos_token_id, and " + TokenizerConfig.FILE_NAME + " has no eos_token");
    }
    long[] eos = ids.stream().mapToLong(Long::longValue).toArray();
    for (long id : eos) {
      if (id >= vocabSize) {
        throw new ModelFormatException(dir + ": end-of-sequence id " + id
            + " is outside the vocabulary of " + vocabSize);
      }
    }
    long pad = gc.padTokenId().isPresent() ? gc.padTokenId().getAsLong()
        : tc.padToken().map(tokenIdOrNone::applyAsLong).filter(id -> id >= 0).orElse(eos[0]);
    return new CausalLmTexts(template, eos, pad,
        readTree(dir.resolve(TokenizerConfig.FILE_NAME)).path("clean_up_tokenization_spaces")
            .asBoolean(false));
  }

  private static JsonNode readTree(Path file) {
    if (!Files.isRegularFile(file)) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode n = JSON.readTree(Files.readAllBytes(file));
      return n == null ? JSON.createObjectNode() : n;
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code eos_token_id} of config.json (one id or a list), as transformers falls back to it. */
  private static List<Long> configEosIds(Path file) {
    JsonNode v = readTree(file).path("eos_token_id");
    List<Long> out = new ArrayList<>();
    for (JsonNode id : v.isArray() ? v : List.of(v)) {
      if (id.isIntegralNumber() && id.canConvertToLong() && id.asLong() >= 0) {
        out.add(id.asLong());
      }
    }
    return out;
  }

  /**
   * Renders a prompt as one user turn in the chat template, with the generation prompt.
   *
   * @param promptText the user text
   * @return the rendered text
   * @throws TemplateException when the template raises
   */
  public String render(String promptText) {
    return template.renderTextTurn(promptText);
  }

  /**
   * Returns the chat template.
   *
   * @return the template
   */
  public ChatTemplate template() {
    return template;
  }

  /**
   * Returns whether generation stops at a token.
   *
   * @param id a token id
   * @return true for every end-of-sequence id of the model
   */
  public boolean isEos(long id) {
    for (long e : eosIds) {
      if (e == id) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the end-of-sequence ids.
   *
   * @return a copy, at least one id
   */
  public long[] eosIds() {
    return eosIds.clone();
  }

  /**
   * Returns the id written into padding positions.
   *
   * @return the padding id
   */
  public long padId() {
    return padId;
  }

  /**
   * Cleans up text the tokenizer decoded (special tokens skipped), as the model's tokenizer
   * configuration asks.
   *
   * @param decoded the tokenizer's decode
   * @return the text transformers' {@code decode} gives
   */
  public String cleanUp(String decoded) {
    return cleanUpSpaces ? cleanUpTokenization(decoded) : decoded;
  }

  /**
   * transformers' {@code clean_up_tokenization}.
   *
   * @param text decoded text
   * @return the text without spaces before punctuation and English contractions
   */
  public static String cleanUpTokenization(String text) {
    return text.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
        .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
        .replace(" 've", "'ve").replace(" 're", "'re");
  }
}
