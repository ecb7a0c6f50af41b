package org.rlaifv.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlaifv.ModelFormatException;

/**
 * The tokenizer and chat template of an exported model: {@code tokenizer.json} (loaded offline,
 * no truncation, padding or automatic special tokens) and {@code prompt_format.json} (template
 * with {@code {prompt}} and an image placeholder, BOS/EOS/pad token names), read the same way the
 * DJL backend reads them so both build identical token sequences.
 *
 * <p>Owns a native tokenizer, freed by {@link #close()}. Encoding and decoding are thread-safe.
 */
final class OrtTokenizer implements AutoCloseable {
  static final String TOKENIZER = "tokenizer.json";
  static final String PROMPT_FORMAT = "prompt_format.json";
  static final String PROMPT_SLOT = "{prompt}";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HuggingFaceTokenizer tokenizer;
  private final Path file;
  final String template;
  final String imageToken;
  final boolean addBos;
  final long bosId;
  final long eosId;
  final long padId;
  final long imageId;

  private OrtTokenizer(HuggingFaceTokenizer tokenizer, Path file, JsonNode format) {
    this.tokenizer = tokenizer;
    this.file = file;
    this.template = format.path("template").asText(null);
    this.imageToken = format.path("image_token").asText("<image>");
    this.addBos = format.path("add_bos").asBoolean(true);
    if (template == null || !template.contains(PROMPT_SLOT) || !template.contains(imageToken)) {
      throw new ModelFormatException(
          PROMPT_FORMAT + ": template must contain " + PROMPT_SLOT + " and " + imageToken
              + ", got " + template);
    }
    this.bosId = tokenId(format.path("bos_token").asText("<s>"));
    this.eosId = tokenId(format.path("eos_token").asText("</s>"));
    this.padId = tokenId(format.path("pad_token").asText("<pad>"));
    this.imageId = tokenId(imageToken);
  }

  /** Loads tokenizer.json and prompt_format.json (defaults when absent) from a directory. */
  static OrtTokenizer load(Path dir) {
    Path tokFile = dir.resolve(TOKENIZER);
    if (!Files.isRegularFile(tokFile)) {
      throw new ModelFormatException("missing tokenizer file " + tokFile);
    }
    Path fmtFile = dir.resolve(PROMPT_FORMAT);
    JsonNode format;
    try {
      format =
          Files.isRegularFile(fmtFile)
              ? JSON.readTree(Files.readAllBytes(fmtFile))
              : JSON.createObjectNode().put("template", "<image> USER: {prompt} ASSISTANT:");
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + fmtFile + ": " + e.getMessage(), e);
    }
    HuggingFaceTokenizer tok;
    try {
      tok =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(tokFile)
              .optAddSpecialTokens(false)
              .optTruncation(false)
              .optPadding(false)
              .build();
    } catch (IOException | RuntimeException e) {
      throw new ModelFormatException("cannot load tokenizer file " + tokFile + ": " + e, e);
    }
    try {
      return new OrtTokenizer(tok, tokFile, format);
    } catch (RuntimeException e) {
      tok.close();
      throw e;
    }
  }

  long[] encode(String text) {
    // Ids only: one native encode and one read instead of a full Encoding.
    TokenizersLibrary lib = TokenizersLibrary.LIB;
    long encoding = lib.encode(tokenizer.getHandle(), text, false);
    try {
      return lib.getTokenIds(encoding);
    } finally {
      lib.deleteEncoding(encoding);
    }
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
    return template.replace(PROMPT_SLOT, prompt);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
