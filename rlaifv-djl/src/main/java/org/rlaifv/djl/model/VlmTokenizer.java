package org.rlaifv.djl.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.hf.ModelTexts;
import org.rlaifv.core.hf.PromptFormat;

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
  private final HfTokenizer tokenizer;
  private final Path file;
  private final byte[] json;
  private final long bosId;
  private final long[] eosIds;
  private final long padId;
  private final long imageId;

  private VlmTokenizer(HfTokenizer tokenizer, Path file, byte[] json, PromptFormat format) {
    this.tokenizer = tokenizer;
    this.file = file;
    this.json = json;
    this.bosId = tokenId(format.bosToken());
    this.eosIds = new long[] {tokenId(format.eosToken())};
    this.padId = tokenId(format.padToken());
    this.imageId = tokenId(format.imageToken());
  }

  private VlmTokenizer(
      HfTokenizer tokenizer, Path file, byte[] json, ModelTexts.SpecialIds ids) {
    this.tokenizer = tokenizer;
    this.file = file;
    this.json = json;
    this.bosId = ids.bos();
    this.eosIds = ids.eos().clone();
    this.padId = ids.pad();
    this.imageId = ids.image();
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
    HfTokenizer tok = HfTokenizer.load(tokenizerJson);
    try {
      return new VlmTokenizer(tok, tokenizerJson, readBytes(tokenizerJson), format);
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
  }

  /**
   * Loads a tokenizer.json with special ids read from the model directory's other files.
   *
   * @param tokenizerJson the file
   * @param ids function from this tokenizer to its special ids (looked up through it)
   * @return the tokenizer, closed by the caller
   * @throws ModelFormatException naming the file when it is missing or unreadable
   */
  public static VlmTokenizer load(
      Path tokenizerJson, java.util.function.Function<VlmTokenizer, ModelTexts.SpecialIds> ids) {
    HfTokenizer tok = HfTokenizer.load(tokenizerJson);
    try {
      byte[] bytes = readBytes(tokenizerJson);
      VlmTokenizer probe =
          new VlmTokenizer(tok, tokenizerJson, bytes, new ModelTexts.SpecialIds(-1, new long[] {-1}, -1, -1));
      return new VlmTokenizer(tok, tokenizerJson, bytes, ids.apply(probe));
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
  }

  private static byte[] readBytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ModelFormatException("cannot read tokenizer file " + file + ": " + e, e);
    }
  }

  /**
   * Encodes text to token ids, adding no special tokens.
   *
   * @param text the text
   * @return the ids
   */
  public long[] encode(String text) {
    return encode(text, false);
  }

  /**
   * Encodes text to token ids, optionally with the special tokens the tokenizer's post-processor
   * adds (for example Llama's BOS).
   *
   * @param text the text
   * @param addSpecialTokens whether to apply the post-processor's special tokens
   * @return the ids
   */
  public long[] encode(String text, boolean addSpecialTokens) {
    return tokenizer.encode(text, addSpecialTokens);
  }

  /**
   * Returns the underlying Hugging Face tokenizer.
   *
   * @return the tokenizer, owned by this object
   */
  public HfTokenizer hf() {
    return tokenizer;
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
   * Returns the first end-of-sequence id: the one a trained response ends with.
   *
   * @return the EOS id
   */
  public long eosId() {
    return eosIds[0];
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
   * Returns the beginning-of-sequence id.
   *
   * @return the id, or -1 when the model has none
   */
  public long bosIdOrNone() {
    return bosId;
  }

  /**
   * Returns the single token id of a token string, or -1 when the tokenizer splits it.
   *
   * @param token the token text
   * @return its id, or -1
   */
  public long tokenIdOrNone(String token) {
    long[] ids = encode(token);
    return ids.length == 1 ? ids[0] : -1;
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
