package org.rlaifv.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.hf.ModelTexts;

/**
 * The tokenizer and texts of an exported model: {@code tokenizer.json} (loaded offline, no
 * truncation or padding) and the model directory's chat template, special tokens and image
 * processor, read by core's {@link ModelTexts} exactly as the DJL backend reads them, so both build
 * identical token sequences and pixel values.
 *
 * <p>Owns a native tokenizer, freed by {@link #close()}. Encoding and decoding are thread-safe.
 */
final class OrtTokenizer implements AutoCloseable {
  static final String TOKENIZER = "tokenizer.json";

  private final HuggingFaceTokenizer tokenizer;
  private final Path file;
  final ModelTexts texts;
  final long bosId;
  final long[] eosIds;
  final long padId;
  final long imageId;

  private OrtTokenizer(HuggingFaceTokenizer tokenizer, Path file, ModelTexts texts, long imageTokenIndex) {
    this.tokenizer = tokenizer;
    this.file = file;
    this.texts = texts;
    ModelTexts.SpecialIds ids = texts.ids(this::tokenIdOrNone, imageTokenIndex);
    this.bosId = ids.bos();
    this.eosIds = ids.eos();
    this.padId = ids.pad();
    this.imageId = ids.image();
  }

  /**
   * Loads tokenizer.json and the texts of a directory.
   *
   * @param dir the export directory
   * @param imageSize the vision tower's image side
   * @param imageTokenIndex config.json's image_token_index, or -1
   */
  static OrtTokenizer load(Path dir, int imageSize, long imageTokenIndex) {
    Path tokFile = dir.resolve(TOKENIZER);
    if (!Files.isRegularFile(tokFile)) {
      throw new ModelFormatException("missing tokenizer file " + tokFile);
    }
    ModelTexts texts = ModelTexts.open(dir, imageSize);
    HuggingFaceTokenizer tok = openTokenizer(dir);
    try {
      return new OrtTokenizer(tok, tokFile, texts, imageTokenIndex);
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
  }

  /**
   * Loads a directory's {@code tokenizer.json} offline, without truncation or padding.
   *
   * @throws ModelFormatException naming the file when it is missing or cannot be loaded
   */
  static HuggingFaceTokenizer openTokenizer(Path dir) {
    Path tokFile = dir.resolve(TOKENIZER);
    if (!Files.isRegularFile(tokFile)) {
      throw new ModelFormatException("missing tokenizer file " + tokFile);
    }
    try {
      return HuggingFaceTokenizer.builder()
          .optTokenizerPath(tokFile)
          .optAddSpecialTokens(false)
          .optTruncation(false)
          .optPadding(false)
          .build();
    } catch (IOException | RuntimeException e) {
      throw new ModelFormatException("cannot load tokenizer file " + tokFile + ": " + e, e);
    }
  }

  /** Token ids of a text: one native encode and one read instead of a full Encoding. */
  static long[] ids(HuggingFaceTokenizer tokenizer, String text, boolean addSpecialTokens) {
    TokenizersLibrary lib = TokenizersLibrary.LIB;
    long encoding = lib.encode(tokenizer.getHandle(), text, addSpecialTokens);
    try {
      return lib.getTokenIds(encoding);
    } finally {
      lib.deleteEncoding(encoding);
    }
  }

  /** Encodes a rendered prompt, adding special tokens unless the template wrote BOS itself. */
  long[] encodePrompt(String rendered) {
    String bos = texts.bosToken().orElse("");
    return encode(rendered, bos.isEmpty() || !rendered.startsWith(bos));
  }

  boolean isEos(long id) {
    for (long e : eosIds) {
      if (e == id) {
        return true;
      }
    }
    return false;
  }

  long tokenIdOrNone(String token) {
    long[] ids = encode(token);
    return ids.length == 1 ? ids[0] : -1;
  }

  long[] encode(String text) {
    return encode(text, false);
  }

  long[] encode(String text, boolean addSpecialTokens) {
    return ids(tokenizer, text, addSpecialTokens);
  }

  String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  long tokenId(String token) {
    long[] ids = encode(token);
    if (ids.length != 1) {
      throw new ModelFormatException(
          "tokenizer " + file + " encodes '" + token + "' as " + ids.length + " tokens, not one");
    }
    return ids[0];
  }

  String render(String prompt) {
    return texts.userTurn(prompt);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
