package org.rlaifv.core.hf;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.rlaifv.Image;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The text and image side of a model directory, shared by every backend: how a user turn is
 * rendered (the chat template), which strings and ids are special, and how an image becomes pixel
 * values (the image processor). Read from Hugging Face's files ({@code tokenizer_config.json},
 * {@code chat_template.*}, {@code generation_config.json}, {@code preprocessor_config.json}) or
 * converted from this SDK's earlier {@code prompt_format.json}; written back in Hugging Face's
 * form.
 *
 * <pre>{@code
 * ModelTexts texts = ModelTexts.open(dir, 336);
 * String prompt = texts.userTurn("Describe the image.");   // the chat template's user turn
 * float[] pixels = texts.pixels(image);                    // [3, H, W]
 * }</pre>
 *
 * <p>Immutable and thread-safe once built.
 */
public final class ModelTexts {
  private static final Logger LOG = LoggerFactory.getLogger(ModelTexts.class);

  /** Side files copied verbatim when a model directory is saved again. */
  public static final List<String> SIDE_FILES =
      List.of(TokenizerConfig.FILE_NAME, GenerationConfig.FILE_NAME, ImageProcessor.FILE_NAME,
          ChatTemplate.JSON_FILE, ChatTemplate.JINJA_FILE, ChatTemplate.PROCESSOR_CONFIG_FILE,
          "special_tokens_map.json");

  private final Function<String, String> userTurn;
  private final String bosToken;
  private final String eosToken;
  private final String padToken;
  private final List<Long> eosIds;
  private final Long padId;
  private final Function<Image, float[]> processor;
  private final int pixelHeight;
  private final int pixelWidth;
  private final PromptFormat legacy;
  private final Map<String, byte[]> files;

  private ModelTexts(
      Function<String, String> userTurn,
      String bosToken,
      String eosToken,
      String padToken,
      List<Long> eosIds,
      Long padId,
      Function<Image, float[]> processor,
      int pixelHeight,
      int pixelWidth,
      PromptFormat legacy,
      Map<String, byte[]> files) {
    this.userTurn = userTurn;
    this.bosToken = bosToken;
    this.eosToken = eosToken;
    this.padToken = padToken;
    this.eosIds = eosIds;
    this.padId = padId;
    this.processor = processor;
    this.pixelHeight = pixelHeight;
    this.pixelWidth = pixelWidth;
    this.legacy = legacy;
    this.files = files;
  }

  /**
   * Opens the texts of a model directory: its Hugging Face files when it has a {@code
   * tokenizer_config.json} and no {@code prompt_format.json}, else the earlier prompt format (the
   * default one when that file is absent too).
   *
   * @param dir the model directory
   * @param imageSize the vision tower's image side, for the earlier format's resize
   * @return the texts
   * @throws ModelFormatException naming the file and field that is missing or malformed
   */
  public static ModelTexts open(Path dir, int imageSize) {
    Path fmtFile = dir.resolve(PromptFormat.FILE_NAME);
    if (Files.isRegularFile(fmtFile)) {
      return legacy(PromptFormat.read(fmtFile), imageSize);
    }
    if (Files.isRegularFile(dir.resolve(TokenizerConfig.FILE_NAME))) {
      return read(dir);
    }
    LOG.info("{} holds neither {} nor {}; using the default prompt format", dir,
        TokenizerConfig.FILE_NAME, PromptFormat.FILE_NAME);
    return legacy(PromptFormat.defaults(), imageSize);
  }

  /**
   * Wraps an earlier-format prompt format: the user turn is BOS (when added) plus the filled
   * template; images are resized to the tower's size and scaled to [0, 1].
   *
   * @param f the format
   * @param imageSize the vision tower's image side
   * @return the texts
   */
  public static ModelTexts legacy(PromptFormat f, int imageSize) {
    return new ModelTexts(
        text -> (f.addBos() ? f.bosToken() : "") + f.render(text),
        f.addBos() ? f.bosToken() : null,
        f.eosToken(),
        f.padToken(),
        List.of(),
        null,
        image -> image.resized(imageSize, imageSize).toFloatChw(),
        imageSize,
        imageSize,
        f,
        Map.of());
  }

  /**
   * Reads the Hugging Face files of a model directory.
   *
   * @param dir the model directory
   * @return the texts
   * @throws ModelFormatException naming the file and field that is missing or malformed
   */
  public static ModelTexts read(Path dir) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (String name : SIDE_FILES) {
      Path f = dir.resolve(name);
      if (Files.isRegularFile(f)) {
        try {
          files.put(name, Files.readAllBytes(f));
        } catch (IOException e) {
          throw new ModelFormatException("cannot read " + f + ": " + e.getMessage(), e);
        }
      }
    }
    TokenizerConfig tc = TokenizerConfig.fromModelDirectory(dir);
    ChatTemplate template = ChatTemplate.fromModelDirectory(dir);
    GenerationConfig gc = GenerationConfig.fromModelDirectory(dir);
    Path pp = dir.resolve(ImageProcessor.FILE_NAME);
    if (!Files.isRegularFile(pp)) {
      throw new ModelFormatException("missing " + pp + " (the model's image processor)");
    }
    ImageProcessor ip = ImageProcessor.read(pp);
    if (!ip.hasFixedOutputSize()) {
      throw new ModelFormatException(pp + ": the image processor must give every image one size");
    }
    return new ModelTexts(
        text -> template.renderUserTurn(text, true),
        tc.bosToken().filter(b -> !b.isEmpty()).orElse(null),
        tc.eosToken().orElse(null),
        tc.padToken().orElse(null),
        gc.eosTokenIds(),
        gc.padTokenId().isPresent() ? gc.padTokenId().getAsLong() : null,
        ip::preprocess,
        ip.outputHeight(),
        ip.outputWidth(),
        null,
        files);
  }

  /**
   * Renders one user turn (the image, then the text) with the generation prompt.
   *
   * @param text the user's text
   * @return the rendered prompt, holding the image placeholder once
   */
  public String userTurn(String text) {
    return userTurn.apply(text);
  }

  /**
   * Returns the BOS string a rendered prompt may start with.
   *
   * @return the BOS token, empty when the model has none
   */
  public Optional<String> bosToken() {
    return Optional.ofNullable(bosToken);
  }

  /**
   * Returns the earlier-format prompt format these texts were converted from.
   *
   * @return the format, empty for a Hugging Face directory
   */
  public Optional<PromptFormat> legacyFormat() {
    return Optional.ofNullable(legacy);
  }

  /**
   * Computes the pixel values of an image with the model's image processor.
   *
   * @param image the image
   * @return {@code [3, pixelHeight, pixelWidth]} float32, channels first
   */
  public float[] pixels(Image image) {
    return processor.apply(image);
  }

  /**
   * Returns the height of the pixel values.
   *
   * @return rows
   */
  public int pixelHeight() {
    return pixelHeight;
  }

  /**
   * Returns the width of the pixel values.
   *
   * @return columns
   */
  public int pixelWidth() {
    return pixelWidth;
  }

  /**
   * The special token ids of a model.
   *
   * @param bos beginning-of-sequence id, -1 when the model has none
   * @param eos end-of-sequence ids (generation stops at any), at least one; the first ends trained
   *     responses
   * @param pad padding id
   * @param image image placeholder id
   */
  public record SpecialIds(long bos, long[] eos, long pad, long image) {
    /** Validates that there is an end-of-sequence id. */
    public SpecialIds {
      if (eos.length == 0) {
        throw new ModelFormatException("the model names no end-of-sequence token");
      }
      eos = eos.clone();
    }

    /**
     * Returns the end-of-sequence ids.
     *
     * @return a copy
     */
    @Override
    public long[] eos() {
      return eos.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SpecialIds s && s.bos == bos && Arrays.equals(s.eos, eos)
          && s.pad == pad && s.image == image;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(bos) * 31 + Arrays.hashCode(eos) * 17 + Long.hashCode(pad) + Long.hashCode(image);
    }

    @Override
    public String toString() {
      return "SpecialIds[bos=" + bos + ", eos=" + Arrays.toString(eos) + ", pad=" + pad
          + ", image=" + image + "]";
    }
  }

  /**
   * Looks up the special ids through a tokenizer: EOS from {@code generation_config.json} (every id
   * of a list), else the {@code eos_token}; pad from {@code pad_token_id}, else {@code pad_token},
   * else the first EOS; the image id from {@code config.json}'s {@code image_token_index}, else the
   * {@code <image>} token.
   *
   * @param tokenIdOrNone the single id of a token string, or -1
   * @param imageTokenIndex {@code image_token_index} of config.json, or -1 when absent
   * @return the ids
   * @throws ModelFormatException when the model names no end-of-sequence or image token
   */
  public SpecialIds ids(ToLongFunction<String> tokenIdOrNone, long imageTokenIndex) {
    if (legacy != null) {
      return new SpecialIds(
          legacy.addBos() ? tokenIdOrNone.applyAsLong(legacy.bosToken()) : -1,
          new long[] {require(tokenIdOrNone, legacy.eosToken(), "eos_token")},
          require(tokenIdOrNone, legacy.padToken(), "pad_token"),
          require(tokenIdOrNone, legacy.imageToken(), "image_token"));
    }
    long bos = bosToken == null ? -1 : tokenIdOrNone.applyAsLong(bosToken);
    long[] eos;
    if (!eosIds.isEmpty()) {
      eos = eosIds.stream().mapToLong(Long::longValue).toArray();
    } else if (eosToken != null && tokenIdOrNone.applyAsLong(eosToken) >= 0) {
      eos = new long[] {tokenIdOrNone.applyAsLong(eosToken)};
    } else {
      throw new ModelFormatException(
          "the model names no end-of-sequence token: neither " + GenerationConfig.FILE_NAME
              + " eos_token_id nor " + TokenizerConfig.FILE_NAME + " eos_token");
    }
    long pad = padId != null ? padId : padToken != null ? tokenIdOrNone.applyAsLong(padToken) : -1;
    if (pad < 0) {
      pad = eos[0];
    }
    long image = imageTokenIndex >= 0 ? imageTokenIndex : tokenIdOrNone.applyAsLong("<image>");
    if (image < 0) {
      throw new ModelFormatException(
          "config.json names no image_token_index and the tokenizer has no <image> token");
    }
    return new SpecialIds(bos, eos, pad, image);
  }

  private static long require(ToLongFunction<String> lookup, String token, String field) {
    long id = lookup.applyAsLong(token);
    if (id < 0) {
      throw new ModelFormatException(
          PromptFormat.FILE_NAME + ": " + field + " '" + token + "' is not a single token of the tokenizer");
    }
    return id;
  }

  /**
   * Writes {@code tokenizer_config.json}, {@code generation_config.json} and {@code
   * preprocessor_config.json} (and any chat template file) into a model directory, each
   * atomically: the files as read, or, for an earlier-format model, the Hugging Face files
   * equivalent to its prompt format.
   *
   * @param dir the model directory
   * @param ids the model's special ids
   * @param maxPositions {@code max_position_embeddings}, written as {@code model_max_length}
   * @param imageSize the vision tower's image side
   * @throws UncheckedIOException when a file cannot be written
   */
  public void write(Path dir, SpecialIds ids, int maxPositions, int imageSize) {
    try {
      if (legacy == null) {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
          AtomicFiles.write(dir.resolve(e.getKey()), e.getValue());
        }
        return;
      }
      ObjectWriter out = HfJson.MAPPER.writerWithDefaultPrettyPrinter();
      ObjectNode tc = HfJson.MAPPER.createObjectNode();
      tc.put("tokenizer_class", "PreTrainedTokenizerFast");
      tc.put("bos_token", legacy.bosToken());
      tc.put("eos_token", legacy.eosToken());
      tc.put("pad_token", legacy.padToken());
      tc.put("model_max_length", maxPositions);
      tc.put("chat_template", legacy.chatTemplate());
      AtomicFiles.write(dir.resolve(TokenizerConfig.FILE_NAME), out.writeValueAsBytes(tc));
      ObjectNode gc = HfJson.MAPPER.createObjectNode();
      if (ids.bos() >= 0) {
        gc.put("bos_token_id", ids.bos());
      }
      gc.put("eos_token_id", ids.eos()[0]);
      gc.put("pad_token_id", ids.pad());
      AtomicFiles.write(dir.resolve(GenerationConfig.FILE_NAME), out.writeValueAsBytes(gc));
      ObjectNode pc = HfJson.MAPPER.createObjectNode();
      pc.put("image_processor_type", "CLIPImageProcessor");
      pc.put("do_convert_rgb", true);
      pc.put("do_resize", true);
      pc.putObject("size").put("height", imageSize).put("width", imageSize);
      pc.put("resample", 2);
      pc.put("do_center_crop", false);
      pc.put("do_rescale", true);
      pc.put("rescale_factor", 1.0 / 255);
      pc.put("do_normalize", false);
      AtomicFiles.write(dir.resolve(ImageProcessor.FILE_NAME), out.writeValueAsBytes(pc));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model files in " + dir, e);
    }
  }
}
