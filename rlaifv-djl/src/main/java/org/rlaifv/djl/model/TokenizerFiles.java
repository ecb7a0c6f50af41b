package org.rlaifv.djl.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlaifv.ModelFormatException;

/**
 * Writes and inspects Hugging Face {@code tokenizer.json} files.
 *
 * <pre>{@code
 * int vocab = TokenizerFiles.writeWordLevel(dir.resolve("tokenizer.json"),
 *     List.of("there", "is", "a", "red", "circle", ".", "yes", "Yes", "no", "No"));
 * }</pre>
 */
public final class TokenizerFiles {

  /** The special tokens every word-level tokenizer written here starts with, ids 0 to 4. */
  public static final List<String> SPECIAL_TOKENS = List.of("<pad>", "<s>", "</s>", "<unk>", "<image>");

  private TokenizerFiles() {}

  /**
   * Writes a word-level tokenizer: special tokens {@code <pad> <s> </s> <unk> <image>} (ids 0-4),
   * then the vocabulary words in order; text is split on whitespace and punctuation is isolated;
   * decoding joins words with spaces and removes the space before punctuation.
   *
   * @param tokenizerJson destination file (written atomically)
   * @param vocabulary words, case-sensitive; duplicates and special tokens are skipped
   * @return the vocabulary size including the special tokens
   * @throws java.io.UncheckedIOException when the file cannot be written
   */
  public static int writeWordLevel(Path tokenizerJson, List<String> vocabulary) {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (String s : SPECIAL_TOKENS) {
      vocab.put(s, vocab.size());
    }
    for (String w : vocabulary) {
      if (w.isBlank() || w.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("vocabulary word must be non-blank without spaces: '" + w + "'");
      }
      vocab.putIfAbsent(w, vocab.size());
    }
    ObjectNode root = VlmConfig.json().createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String s : SPECIAL_TOKENS) {
      ObjectNode t = added.addObject();
      t.put("id", vocab.get(s));
      t.put("content", s);
      t.put("single_word", false);
      t.put("lstrip", false);
      t.put("rstrip", false);
      t.put("normalized", false);
      t.put("special", true);
    }
    root.putNull("normalizer");
    ObjectNode pre = root.putObject("pre_tokenizer");
    pre.put("type", "Sequence");
    ArrayNode pres = pre.putArray("pretokenizers");
    pres.addObject().put("type", "WhitespaceSplit");
    pres.addObject().put("type", "Punctuation").put("behavior", "Isolated");
    root.putNull("post_processor");
    ObjectNode dec = root.putObject("decoder");
    dec.put("type", "WordPiece");
    dec.put("prefix", "##");
    dec.put("cleanup", true);
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode v = model.putObject("vocab");
    vocab.forEach(v::put);
    model.put("unk_token", "<unk>");
    try {
      AtomicFiles.write(tokenizerJson, VlmConfig.json().writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + tokenizerJson, e);
    }
    return vocab.size();
  }

  /**
   * Returns the number of token ids a tokenizer.json uses: one more than the largest id in its
   * model vocabulary and added tokens.
   *
   * @param tokenizerJson the file
   * @return the vocabulary size
   * @throws ModelFormatException naming the file when it is missing or malformed
   */
  public static int vocabularySize(Path tokenizerJson) {
    JsonNode root;
    try {
      root = VlmConfig.json().readTree(Files.readAllBytes(tokenizerJson));
    } catch (IOException e) {
      throw new ModelFormatException("cannot read tokenizer file " + tokenizerJson + ": " + e, e);
    }
    long max = -1;
    JsonNode vocab = root.path("model").path("vocab");
    if (vocab.isObject()) {
      for (Iterator<JsonNode> it = vocab.elements(); it.hasNext(); ) {
        max = Math.max(max, it.next().asLong());
      }
    } else if (vocab.isArray()) {
      max = vocab.size() - 1L;
    } else {
      throw new ModelFormatException(tokenizerJson + ": no model.vocab in the tokenizer file");
    }
    for (JsonNode t : root.path("added_tokens")) {
      max = Math.max(max, t.path("id").asLong());
    }
    return (int) (max + 1);
  }
}
