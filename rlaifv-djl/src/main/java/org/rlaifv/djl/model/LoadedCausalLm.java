package org.rlaifv.djl.model;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.hf.CausalLmTexts;
import org.rlaifv.core.hf.ChatTemplate;

/**
 * A text-only causal LM directory opened for generation: the {@link CausalLmModel}, its {@link
 * HfTokenizer}, its chat template and its end-of-sequence ids.
 *
 * <p>The template, end-of-sequence and padding ids and decoding clean-up are core's {@link
 * CausalLmTexts}, which the ONNX Runtime generator reads too. The directory is a Hugging Face {@code LlamaForCausalLM}, {@code MistralForCausalLM} or {@code
 * Qwen2ForCausalLM} directory as saved by transformers: {@code config.json}, {@code
 * model.safetensors} (or shards with {@code model.safetensors.index.json}), {@code
 * tokenizer.json}, {@code tokenizer_config.json} (special tokens, usually the chat template), a
 * {@code chat_template.jinja} or {@code chat_template.json} when the template lives there, and
 * {@code generation_config.json}. Generation stops at every id of {@code generation_config.json}'s
 * {@code eos_token_id} (one id or a list); without one, at {@code config.json}'s {@code
 * eos_token_id}; without that, at the tokenizer's {@code eos_token}.
 *
 * <p>A prompt is rendered as transformers' {@code tokenizer.apply_chat_template([{"role": "user",
 * "content": text}], add_generation_prompt=True)} renders and tokenizes it: the template writes any
 * BOS itself, so the rendered text is encoded without the tokenizer's special tokens. Owns the
 * model and tokenizer; the creator closes it. Thread-safe for concurrent reads.
 *
 * <pre>{@code
 * try (LoadedCausalLm lm = LoadedCausalLm.load(Path.of("Qwen2.5-0.5B-Instruct"), Device.cpu())) {
 *   long[] ids = lm.promptIds("List the facts of: a red circle.");
 * }
 * }</pre>
 */
public final class LoadedCausalLm implements AutoCloseable {
  private final CausalLmModel model;
  private final HfTokenizer tokenizer;
  private final CausalLmTexts texts;
  private final Path directory;

  private LoadedCausalLm(
      CausalLmModel model, HfTokenizer tokenizer, CausalLmTexts texts, Path directory) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.texts = texts;
    this.directory = directory;
  }

  /**
   * Opens a causal LM directory.
   *
   * @param dir the directory
   * @param device where the parameters live
   * @return the opened model, closed by the caller
   * @throws ModelFormatException naming the file (and field or tensor) that is missing or invalid
   * @throws org.rlaifv.BackendException when the float32 model does not fit in memory
   */
  public static LoadedCausalLm load(Path dir, Device device) {
    if (!Files.isDirectory(dir)) {
      throw new ModelFormatException("model directory " + dir + " does not exist");
    }
    TextConfig config = TextConfig.read(dir.resolve(VlmConfig.FILE_NAME));
    HfTokenizer tok = HfTokenizer.fromModelDirectory(dir);
    CausalLmModel model = null;
    try {
      int tokVocab = TokenizerFiles.vocabularySize(tok.file());
      if (tokVocab > config.vocabSize()) {
        throw new ModelFormatException("tokenizer " + tok.file() + " uses " + tokVocab
            + " ids but " + dir.resolve(VlmConfig.FILE_NAME) + " vocab_size is "
            + config.vocabSize());
      }
      CausalLmTexts texts =
          CausalLmTexts.open(dir, t -> tokenIdOrNone(tok, t), config.vocabSize());
      model = CausalLmModel.load(dir, device);
      return new LoadedCausalLm(model, tok, texts, dir);
    } catch (RuntimeException e) {
      if (model != null) {
        model.close();
      }
      tok.close();
      throw e;
    }
  }

  private static long tokenIdOrNone(HfTokenizer tok, String token) {
    long[] ids = tok.encode(token, false);
    return ids.length == 1 ? ids[0] : -1;
  }

  /**
   * Renders a prompt as the model sees it: one user turn in the model's chat template, with the
   * generation prompt.
   *
   * @param promptText the user text
   * @return the rendered text
   * @throws org.rlaifv.core.hf.TemplateException when the template raises
   */
  public String renderPrompt(String promptText) {
    return texts.render(promptText);
  }

  /**
   * Returns the token ids of a prompt rendered in the chat template (no special tokens added
   * beyond those the template writes).
   *
   * @param promptText the user text
   * @return the ids
   */
  public long[] promptIds(String promptText) {
    return tokenizer.encode(renderPrompt(promptText), false);
  }

  /**
   * Returns the token ids of several prompts.
   *
   * @param promptTexts the user texts
   * @return the ids of each, in order
   */
  public List<long[]> promptIds(List<String> promptTexts) {
    List<long[]> out = new ArrayList<>(promptTexts.size());
    for (String p : promptTexts) {
      out.add(promptIds(p));
    }
    return out;
  }

  /**
   * Decodes generated ids to text as transformers' {@code tokenizer.decode(ids,
   * skip_special_tokens=True)} does: special tokens skipped and, when {@code
   * tokenizer_config.json} sets {@code clean_up_tokenization_spaces}, the spaces before
   * punctuation and English contractions removed.
   *
   * @param ids the ids
   * @return the text
   */
  public String decode(long[] ids) {
    return texts.cleanUp(tokenizer.decode(ids, true));
  }

  /** transformers' {@code clean_up_tokenization}. */
  static String cleanUpTokenization(String text) {
    return CausalLmTexts.cleanUpTokenization(text);
  }

  /**
   * Returns whether generation stops at a token.
   *
   * @param id a token id
   * @return true for every end-of-sequence id of the model
   */
  public boolean isEos(long id) {
    return texts.isEos(id);
  }

  /**
   * Returns the end-of-sequence ids.
   *
   * @return a copy, at least one id
   */
  public long[] eosIds() {
    return texts.eosIds();
  }

  /**
   * Returns the id written into padding positions.
   *
   * @return {@code pad_token_id}, else the pad token's id, else the first end-of-sequence id
   */
  public long padId() {
    return texts.padId();
  }

  /**
   * Returns the model.
   *
   * @return the model, owned by this object
   */
  public CausalLmModel model() {
    return model;
  }

  /**
   * Returns the tokenizer.
   *
   * @return the tokenizer, owned by this object
   */
  public HfTokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * Returns the chat template.
   *
   * @return the template
   */
  public ChatTemplate template() {
    return texts.template();
  }

  /**
   * Returns the directory the model was loaded from.
   *
   * @return the directory
   */
  public Path directory() {
    return directory;
  }

  /** Frees the model and tokenizer. */
  @Override
  public void close() {
    try {
      tokenizer.close();
    } finally {
      model.close();
    }
  }
}
