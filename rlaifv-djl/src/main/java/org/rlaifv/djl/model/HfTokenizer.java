package org.rlaifv.djl.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.hf.TokenizerConfig;

/**
 * A published Hugging Face {@code tokenizer.json}, encoding as transformers' fast tokenizer does:
 * never truncated, never padded, with special tokens added only when asked.
 *
 * <p>DJL's tokenizer truncates to 512 tokens unless told otherwise; this one is built with
 * truncation and padding off, so long prompts keep every token. {@link #encodePrompt} encodes a
 * rendered chat prompt the way a processor's {@code apply_chat_template(tokenize=True)} does: with
 * the tokenizer's special tokens, unless the text already starts with the BOS string (a template
 * that writes BOS itself does not get it twice).
 *
 * <p>Owns a native tokenizer; the creator closes it. Encoding and decoding are thread-safe.
 *
 * <pre>{@code
 * try (HfTokenizer tok = HfTokenizer.fromModelDirectory(dir)) {
 *   TokenizerConfig cfg = TokenizerConfig.fromModelDirectory(dir);
 *   String prompt = ChatTemplate.fromModelDirectory(dir).renderUserTurn("Is it red?", true);
 *   long[] ids = tok.encodePrompt(prompt, cfg);
 *   List<Long> yes = tok.firstAnswerIds(prompt, List.of("Yes", "yes", " Yes", " yes"));
 * }
 * }</pre>
 */
public final class HfTokenizer implements AutoCloseable {
  /** The file name read from a model directory. */
  public static final String FILE_NAME = "tokenizer.json";

  private final HuggingFaceTokenizer tokenizer;
  private final Path file;

  private HfTokenizer(HuggingFaceTokenizer tokenizer, Path file) {
    this.tokenizer = tokenizer;
    this.file = file;
  }

  /**
   * Loads {@code tokenizer.json} from a model directory.
   *
   * @param modelDirectory the directory
   * @return the tokenizer, closed by the caller
   * @throws ModelFormatException naming the file when it is missing or unreadable
   */
  public static HfTokenizer fromModelDirectory(Path modelDirectory) {
    return load(modelDirectory.resolve(FILE_NAME));
  }

  /**
   * Loads a {@code tokenizer.json} file.
   *
   * @param tokenizerJson the file
   * @return the tokenizer, closed by the caller
   * @throws ModelFormatException naming the file when it is missing or unreadable
   */
  public static HfTokenizer load(Path tokenizerJson) {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new ModelFormatException("missing tokenizer file " + tokenizerJson);
    }
    try {
      HuggingFaceTokenizer tok = HuggingFaceTokenizer.builder()
          .optTokenizerPath(tokenizerJson)
          .optTruncation(false)
          .optPadding(false)
          .optAddSpecialTokens(false)
          .build();
      return new HfTokenizer(tok, tokenizerJson);
    } catch (IOException | RuntimeException e) {
      throw new ModelFormatException("cannot load tokenizer file " + tokenizerJson + ": " + e, e);
    }
  }

  /**
   * Encodes text.
   *
   * @param text the text
   * @param addSpecialTokens whether the tokenizer's post-processor adds its special tokens (BOS
   *     for Llama and Mistral tokenizers, nothing for Qwen2)
   * @return the ids, however many there are
   */
  public long[] encode(String text, boolean addSpecialTokens) {
    TokenizersLibrary lib = TokenizersLibrary.LIB;
    long encoding = lib.encode(tokenizer.getHandle(), text, addSpecialTokens);
    try {
      return lib.getTokenIds(encoding);
    } finally {
      lib.deleteEncoding(encoding);
    }
  }

  /**
   * Encodes a rendered chat prompt: with special tokens, unless the prompt already starts with the
   * configuration's BOS string.
   *
   * @param rendered the output of a chat template
   * @param config supplies the BOS string
   * @return the ids
   */
  public long[] encodePrompt(String rendered, TokenizerConfig config) {
    return encodePrompt(rendered, config.bosToken().orElse(""));
  }

  /**
   * Encodes a rendered chat prompt: with special tokens, unless the prompt already starts with the
   * BOS string.
   *
   * @param rendered the output of a chat template
   * @param bosToken the BOS string, empty when the model has none
   * @return the ids
   */
  public long[] encodePrompt(String rendered, String bosToken) {
    boolean writesBos = !bosToken.isEmpty() && rendered.startsWith(bosToken);
    return encode(rendered, !writesBos);
  }

  /**
   * Decodes ids to text.
   *
   * @param ids the ids
   * @param skipSpecialTokens whether special tokens are left out
   * @return the text
   */
  public String decode(long[] ids, boolean skipSpecialTokens) {
    return tokenizer.decode(ids, skipSpecialTokens);
  }

  /**
   * Returns the id of a string the tokenizer encodes as exactly one token, such as a special
   * token.
   *
   * @param token the token text
   * @return its id
   * @throws ModelFormatException naming the tokenizer file when the string is not one token
   */
  public long tokenId(String token) {
    long[] ids = encode(token, false);
    if (ids.length != 1) {
      throw new ModelFormatException(
          "tokenizer " + file + " encodes '" + token + "' as " + ids.length + " tokens, not one");
    }
    return ids[0];
  }

  /**
   * For each word, the first token the word produces when written right after the prompt: the
   * first id where {@code encode(prompt + word)} departs from {@code encode(prompt)}. When the word
   * merges with the prompt's last token, that merged token is the one returned.
   *
   * @param renderedPrompt the prompt, ending where the answer starts
   * @param words candidate answers, for example {@code "Yes", "yes", " Yes", " yes"}
   * @return the distinct ids, in the order the words first give them
   */
  public List<Long> firstAnswerIds(String renderedPrompt, List<String> words) {
    int[] ids =
        org.rlaifv.core.internal.AnswerTokens.firstIds(
            encode(renderedPrompt, false),
            w -> encode(renderedPrompt + w, false),
            w -> encode(w, false),
            -1,
            file.toString(),
            words.toArray(String[]::new));
    List<Long> out = new ArrayList<>(ids.length);
    for (int id : ids) {
      out.add((long) id);
    }
    return out;
  }

  /**
   * Returns the file the tokenizer was loaded from.
   *
   * @return the tokenizer.json path
   */
  public Path file() {
    return file;
  }

  /** Frees the native tokenizer. */
  @Override
  public void close() {
    tokenizer.close();
  }
}
