package org.rlaifv.djl.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlaifv.ModelFormatException;

/**
 * A Hugging Face tokenizer loaded offline from a {@code tokenizer.json}, without truncation,
 * padding or automatically added special tokens (callers add BOS/EOS explicitly).
 *
 * <p>Owns a native tokenizer; the creator closes it. Encoding and decoding are thread-safe.
 *
 * <pre>{@code
 * try (VlmTokenizer tok = VlmTokenizer.load(dir.resolve("tokenizer.json"), PromptFormat.defaults())) {
 *   long[] ids = tok.encode("is there a red circle?");
 * }
 * }</pre>
 */
public final class VlmTokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final Path file;
  private final byte[] json;
  private final long bosId;
  private final long eosId;
  private final long padId;
  private final long imageId;

  private VlmTokenizer(HuggingFaceTokenizer tokenizer, Path file, byte[] json, PromptFormat format) {
    this.tokenizer = tokenizer;
    this.file = file;
    this.json = json;
    this.bosId = tokenId(format.bosToken());
    this.eosId = tokenId(format.eosToken());
    this.padId = tokenId(format.padToken());
    this.imageId = tokenId(format.imageToken());
  }

  /**
   * Loads a tokenizer.json with the default special tokens ({@code <s> </s> <pad> <image>}).
   *
   * @param tokenizerJson the file
   * @return the tokenizer, closed by the caller
   * @throws ModelFormatException naming the file when it is missing or unreadable
   */
  public static VlmTokenizer load(Path tokenizerJson) {
    return load(tokenizerJson, PromptFormat.defaults());
  }

  /**
   * Loads a tokenizer.json.
   *
   * @param tokenizerJson the file
   * @param format names the BOS, EOS, pad and image tokens
   * @return the tokenizer, closed by the caller
   * @throws ModelFormatException naming the file when it is missing or unreadable, or a special
   *     token is not a single token of it
   */
  public static VlmTokenizer load(Path tokenizerJson, PromptFormat format) {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new ModelFormatException("missing tokenizer file " + tokenizerJson);
    }
    HuggingFaceTokenizer tok;
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(tokenizerJson);
      tok =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(tokenizerJson)
              .optAddSpecialTokens(false)
              .optTruncation(false)
              .optPadding(false)
              .build();
    } catch (IOException | RuntimeException e) {
      throw new ModelFormatException("cannot load tokenizer file " + tokenizerJson + ": " + e, e);
    }
    try {
      return new VlmTokenizer(tok, tokenizerJson, bytes, format);
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
  }

  /**
   * Encodes text to token ids, adding no special tokens.
   *
   * @param text the text
   * @return the ids
   */
  public long[] encode(String text) {
    // Only the ids are needed: one native encode and one read, instead of building the full
    // Encoding (tokens, offsets, masks), which costs several times more per call.
    TokenizersLibrary lib = TokenizersLibrary.LIB;
    long encoding = lib.encode(tokenizer.getHandle(), text, false);
    try {
      return lib.getTokenIds(encoding);
    } finally {
      lib.deleteEncoding(encoding);
    }
  }

  /**
   * Decodes ids to text, skipping special tokens.
   *
   * @param ids the ids
   * @return the text
   */
  public String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  /**
   * Returns the id of a string that the tokenizer encodes as exactly one token.
   *
   * @param token the token text
   * @return its id
   * @throws ModelFormatException naming the tokenizer file when the string is not one token
   */
  public long tokenId(String token) {
    long[] ids = encode(token);
    if (ids.length != 1) {
      throw new ModelFormatException(
          "tokenizer " + file + " encodes '" + token + "' as " + ids.length + " tokens, not one");
    }
    return ids[0];
  }

  /**
   * Returns the beginning-of-sequence id.
   *
   * @return the BOS id
   */
  public long bosId() {
    return bosId;
  }

  /**
   * Returns the end-of-sequence id.
   *
   * @return the EOS id
   */
  public long eosId() {
    return eosId;
  }

  /**
   * Returns the padding id.
   *
   * @return the pad id
   */
  public long padId() {
    return padId;
  }

  /**
   * Returns the image placeholder id.
   *
   * @return the image token id
   */
  public long imageId() {
    return imageId;
  }

  /**
   * Returns the file the tokenizer was loaded from.
   *
   * @return the tokenizer.json path
   */
  public Path file() {
    return file;
  }

  /**
   * Returns the tokenizer.json bytes as loaded (for saving a model directory).
   *
   * @return a copy of the file contents
   */
  public byte[] json() {
    return json.clone();
  }

  /** Frees the native tokenizer. */
  @Override
  public void close() {
    tokenizer.close();
  }
}
