package org.rlaifv.djl.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.rlaifv.Image;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.hf.ChatTemplate;
import org.rlaifv.core.hf.GenerationConfig;
import org.rlaifv.core.hf.ImageProcessor;
import org.rlaifv.core.hf.TokenizerConfig;

/**
 * The text and image side of a model directory: how a user turn is rendered (the chat template),
 * which strings and ids are special, and how an image becomes pixel values (the image processor).
 * Read from Hugging Face's files ({@code tokenizer_config.json}, {@code chat_template.*}, {@code
 * generation_config.json}, {@code preprocessor_config.json}) or converted from this SDK's earlier
 * {@code prompt_format.json}; written back in Hugging Face's form.
 */
final class ModelTexts {
  static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  static final String GENERATION_CONFIG = "generation_config.json";
  static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";

  /** Side files copied verbatim when a model directory is saved again. */
  static final List<String> SIDE_FILES =
      List.of(TOKENIZER_CONFIG, GENERATION_CONFIG, PREPROCESSOR_CONFIG, "chat_template.json",
          "chat_template.jinja", "processor_config.json", "special_tokens_map.json");

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
   * Wraps an earlier-format prompt format: the user turn is BOS (when added) plus the filled
   * template, images are resized to the tower's size and scaled to [0, 1].
   */
  static ModelTexts legacy(PromptFormat f, int imageSize) {
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

  /** Reads the Hugging Face files of a model directory. */
  static ModelTexts read(Path dir, int imageSize) {
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
    Path pp = dir.resolve(PREPROCESSOR_CONFIG);
    Function<Image, float[]> processor;
    int h;
    int w;
    if (Files.isRegularFile(pp)) {
      ImageProcessor ip = ImageProcessor.read(pp);
      if (!ip.hasFixedOutputSize()) {
        throw new ModelFormatException(pp + ": the image processor must produce a fixed size for"
            + " a LLaVA vision tower of " + imageSize + "x" + imageSize);
      }
      processor = ip::preprocess;
      h = ip.outputHeight();
      w = ip.outputWidth();
    } else {
      throw new ModelFormatException("missing " + pp + " (the image processor of the model)");
    }
    return new ModelTexts(
        text -> template.renderUserTurn(text, true),
        tc.bosToken().orElse(null),
        tc.eosToken().orElse(null),
        tc.padToken().orElse(null),
        gc.eosTokenIds(),
        gc.padTokenId().isPresent() ? gc.padTokenId().getAsLong() : null,
        processor,
        h,
        w,
        null,
        files);
  }

  /** Renders one user turn (image, then text) with the generation prompt. */
  String userTurn(String text) {
    return userTurn.apply(text);
  }

  /** The BOS string, or null when the model has none. */
  String bosToken() {
    return bosToken;
  }

  /** The earlier-format prompt format this was converted from, or null. */
  PromptFormat legacyFormat() {
    return legacy;
  }

  /** Pixel values of an image, channels first. */
  float[] pixels(Image image) {
    return processor.apply(image);
  }

  int pixelHeight() {
    return pixelHeight;
  }

  int pixelWidth() {
    return pixelWidth;
  }

  /** Looks up the special ids through a tokenizer. */
  VlmTokenizer.SpecialIds ids(VlmTokenizer tok, VlmConfig config) {
    long bos = bosToken == null ? -1 : tok.tokenIdOrNone(bosToken);
    long[] eos;
    if (!eosIds.isEmpty()) {
      eos = eosIds.stream().mapToLong(Long::longValue).toArray();
    } else if (eosToken != null && tok.tokenIdOrNone(eosToken) >= 0) {
      eos = new long[] {tok.tokenIdOrNone(eosToken)};
    } else {
      throw new ModelFormatException(
          "the model names no end-of-sequence token: neither " + GENERATION_CONFIG
              + " eos_token_id nor " + TOKENIZER_CONFIG + " eos_token");
    }
    long pad = padId != null ? padId : padToken != null ? tok.tokenIdOrNone(padToken) : -1;
    if (pad < 0) {
      pad = eos[0];
    }
    long image =
        config.imageTokenIndex() >= 0 ? config.imageTokenIndex() : tok.tokenIdOrNone("<image>");
    if (image < 0) {
      throw new ModelFormatException(
          "config.json names no image_token_index and the tokenizer has no <image> token");
    }
    return new VlmTokenizer.SpecialIds(bos, eos, pad, image);
  }

  /**
   * Writes tokenizer_config.json, generation_config.json and preprocessor_config.json (and any
   * chat template file) into a model directory: the files as read, or converted from the earlier
   * prompt format.
   */
  void write(Path dir, VlmTokenizer tok, VlmConfig config) {
    try {
      if (legacy == null) {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
          AtomicFiles.write(dir.resolve(e.getKey()), e.getValue());
        }
        return;
      }
      var json = VlmConfig.json();
      ObjectNode tc = json.createObjectNode();
      tc.put("tokenizer_class", "PreTrainedTokenizerFast");
      tc.put("bos_token", legacy.bosToken());
      tc.put("eos_token", legacy.eosToken());
      tc.put("pad_token", legacy.padToken());
      tc.put("model_max_length", config.maxPositionEmbeddings());
      tc.put("chat_template", legacy.chatTemplate());
      AtomicFiles.write(dir.resolve(TOKENIZER_CONFIG), json.writeValueAsBytes(tc));
      ObjectNode gc = json.createObjectNode();
      gc.put("bos_token_id", tok.bosId());
      gc.put("eos_token_id", tok.eosId());
      gc.put("pad_token_id", tok.padId());
      AtomicFiles.write(dir.resolve(GENERATION_CONFIG), json.writeValueAsBytes(gc));
      int s = config.visionConfig().imageSize();
      ObjectNode pc = json.createObjectNode();
      pc.put("image_processor_type", "CLIPImageProcessor");
      pc.put("do_convert_rgb", true);
      pc.put("do_resize", true);
      pc.putObject("size").put("height", s).put("width", s);
      pc.put("resample", 2);
      pc.put("do_center_crop", false);
      pc.put("do_rescale", true);
      pc.put("rescale_factor", 1.0 / 255);
      pc.put("do_normalize", false);
      AtomicFiles.write(dir.resolve(PREPROCESSOR_CONFIG), json.writeValueAsBytes(pc));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model files in " + dir, e);
    }
  }
}
