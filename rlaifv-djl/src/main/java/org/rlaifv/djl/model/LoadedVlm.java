package org.rlaifv.djl.model;

import org.rlaifv.core.hf.PromptFormat;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.hf.ModelTexts;
import org.rlaifv.core.internal.ImageSplice;

/**
 * A model directory opened for use: the {@link VlmModel}, its {@link VlmTokenizer}, its chat
 * template and image processor, with helpers that turn images and text into decoder inputs.
 *
 * <p>The directory is a Hugging Face LLaVA directory as transformers saves it: {@code
 * config.json}, {@code model.safetensors} (or shards with {@code model.safetensors.index.json}),
 * {@code tokenizer.json}, {@code tokenizer_config.json} (special tokens, usually the chat
 * template), {@code chat_template.json} or {@code .jinja} when the template lives there, {@code
 * generation_config.json} (end-of-sequence ids) and {@code preprocessor_config.json} (the image
 * processor). Directories in this SDK's earlier form ({@code prompt_format.json}) still open and
 * are saved in Hugging Face's form. Owns the model and tokenizer; the creator closes it.
 *
 * <pre>{@code
 * try (LoadedVlm vlm = LoadedVlm.load(Path.of("policy"), Device.cpu())) {
 *   long[] ids = vlm.promptIds("describe the image.");
 * }
 * }</pre>
 */
public final class LoadedVlm implements AutoCloseable {

  /** The tokenizer file name in a model directory. */
  public static final String TOKENIZER_FILE = "tokenizer.json";

  private final VlmModel model;
  private final VlmTokenizer tokenizer;
  private final PromptFormat format;
  private final ModelTexts texts;
  private final Path directory;

  private LoadedVlm(
      VlmModel model, VlmTokenizer tokenizer, PromptFormat format, ModelTexts texts, Path directory) {
    this.model = model;
    this.tokenizer = tokenizer;
    this.format = format;
    this.texts = texts;
    this.directory = directory;
    int tokVocab = TokenizerFiles.vocabularySize(tokenizer.file());
    if (tokVocab > model.config().vocabSize()) {
      throw new ModelFormatException(
          "tokenizer " + tokenizer.file() + " uses " + tokVocab + " ids but config.json vocab_size is "
              + model.config().vocabSize());
    }
  }

  /**
   * Opens a model directory, or a PEFT LoRA adapter directory on top of the base its {@code
   * adapter_config.json} names (see {@link #load(Path, Path, Device)}).
   *
   * @param dir the directory
   * @param device where the parameters live
   * @return the opened model, closed by the caller
   * @throws ModelFormatException naming the file (and tensor) that is missing or invalid
   */
  public static LoadedVlm load(Path dir, Device device) {
    if (!Files.isDirectory(dir)) {
      throw new ModelFormatException("model directory " + dir + " does not exist");
    }
    if (LoraAdapter.isAdapterDirectory(dir)) {
      return load(LoraAdapter.baseDirectory(dir), dir, device);
    }
    return open(dir, dir, device);
  }

  /**
   * Opens a base model directory with a PEFT LoRA adapter directory merged into its weights
   * ({@code W += s B A}): the model computes as the adapted one, at the base model's cost. {@link
   * #load(Path, Device)} does the same for an adapter directory whose {@code
   * base_model_name_or_path} names its base ({@link LoraAdapter#baseDirectory}).
   *
   * @param baseDir the base model directory (or another adapter directory, applied first)
   * @param adapterDir the adapter directory ({@code adapter_config.json}, {@code
   *     adapter_model.safetensors})
   * @param device where the parameters live
   * @return the opened, merged model, closed by the caller; its {@link #directory()} is the
   *     adapter directory
   * @throws ModelFormatException naming the file and tensor when the adapter does not fit the base
   */
  public static LoadedVlm load(Path baseDir, Path adapterDir, Device device) {
    LoadedVlm vlm = LoraAdapter.isAdapterDirectory(baseDir)
        ? load(baseDir, device) : open(baseDir, adapterDir, device);
    try {
      vlm.model().attachAdapter(LoraAdapter.load(adapterDir, vlm.model(), KeyLayout.ORIGINAL));
      vlm.model().mergeAdapter();
      return vlm.directory == adapterDir ? vlm
          : new LoadedVlm(vlm.model, vlm.tokenizer, vlm.format, vlm.texts, adapterDir);
    } catch (RuntimeException e) {
      vlm.close();
      throw e;
    }
  }

  private static LoadedVlm open(Path dir, Path recordedDir, Device device) {
    Path tokFile = dir.resolve(TOKENIZER_FILE);
    if (!Files.isRegularFile(tokFile)) {
      throw new ModelFormatException("missing tokenizer file " + tokFile);
    }
    VlmConfig config = VlmConfig.read(dir.resolve(VlmConfig.FILE_NAME));
    ModelTexts texts = ModelTexts.open(dir, config.visionConfig().imageSize());
    VlmModel model = VlmModel.load(dir, device);
    return assemble(model, tokFile, texts, recordedDir);
  }

  /**
   * Creates a randomly initialised model around a tokenizer and prompt format.
   *
   * @param config the sizes; vocab_size must cover the tokenizer's ids
   * @param seed initialisation seed
   * @param tokenizerJson the tokenizer file
   * @param format the prompt format
   * @param device where the parameters live
   * @return the new model, closed by the caller
   * @throws ModelFormatException when the tokenizer is missing or does not fit the config
   */
  public static LoadedVlm create(
      VlmConfig config, long seed, Path tokenizerJson, PromptFormat format, Device device) {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new ModelFormatException("missing tokenizer file " + tokenizerJson);
    }
    VlmConfig withImage = config;
    if (config.imageTokenIndex() < 0) {
      try (VlmTokenizer probe = VlmTokenizer.load(tokenizerJson, format)) {
        withImage = config.withImageTokenIndex(probe.imageId());
      }
    }
    return assemble(VlmModel.randomInit(withImage, seed, device), tokenizerJson,
        ModelTexts.legacy(format, config.visionConfig().imageSize()), null);
  }

  private static LoadedVlm assemble(
      VlmModel model, Path tokFile, ModelTexts texts, Path directory) {
    VlmTokenizer tok = null;
    try {
      VlmModel m = model;
      long imageIndex = m.config().imageTokenIndex();
      tok = VlmTokenizer.load(tokFile, t -> texts.ids(t::tokenIdOrNone, imageIndex));
      if (imageIndex < 0) {
        m = m.withConfig(m.config().withImageTokenIndex(tok.imageId()));
      }
      return new LoadedVlm(m, tok, texts.legacyFormat().orElse(null), texts, directory);
    } catch (RuntimeException e) {
      if (tok != null) {
        tok.close();
      }
      model.close();
      throw e;
    }
  }

  /**
   * Returns an independent copy (weights copied, tokenizer reopened from the same file), for
   * example a frozen DPO reference that {@link TeacherForcing} can run.
   *
   * @param device where the copy's parameters live
   * @return a new opened model, closed by the caller
   */
  public LoadedVlm copy(Device device) {
    return assemble(model.copy(device), tokenizer.file(), texts, null);
  }

  /**
   * Writes every file of the model directory in Hugging Face's layout: config.json,
   * model.safetensors, tokenizer.json, tokenizer_config.json (with the chat template),
   * generation_config.json and preprocessor_config.json (each atomically).
   *
   * @param dir the directory, created when absent
   */
  public void save(Path dir) {
    try {
      Files.createDirectories(dir);
      model.save(dir);
      AtomicFiles.write(dir.resolve(TOKENIZER_FILE), tokenizer.json());
      texts.write(dir,
          new ModelTexts.SpecialIds(tokenizer.bosIdOrNone(), new long[] {tokenizer.eosId()},
              tokenizer.padId(), tokenizer.imageId()),
          model.config().maxPositionEmbeddings(), model.config().visionConfig().imageSize());
      Files.deleteIfExists(dir.resolve(PromptFormat.FILE_NAME));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model directory " + dir, e);
    }
  }

  /**
   * Returns the directory the model was loaded from.
   *
   * @return the directory, empty for a model created in memory or copied
   */
  public java.util.Optional<Path> directory() {
    return java.util.Optional.ofNullable(directory);
  }

  /**
   * Returns the model.
   *
   * @return the model, owned by this object
   */
  public VlmModel model() {
    return model;
  }

  /**
   * Returns the tokenizer.
   *
   * @return the tokenizer, owned by this object
   */
  public VlmTokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * Returns the earlier-format prompt format the model was opened with, or null for a Hugging Face
   * directory with a chat template.
   *
   * @return the format, or null
   */
  public PromptFormat format() {
    return format;
  }

  /**
   * Renders a prompt as the model sees it: one user turn (the image, then the text) in the model's
   * chat template, with the generation prompt.
   *
   * @param promptText the user text
   * @return the rendered text, holding the image placeholder once
   */
  public String renderPrompt(String promptText) {
    return texts.userTurn(promptText);
  }

  /**
   * Returns the token ids of a prompt rendered in the chat template (BOS first when the format adds
   * it), with the image placeholder as one token.
   *
   * @param promptText the user text
   * @return the ids, with exactly one image token
   * @throws InvalidInputException when the prompt itself contains the image placeholder
   */
  public long[] promptIds(String promptText) {
    return textIds(renderPrompt(promptText));
  }

  /**
   * Returns the token ids of an already rendered text (BOS first when the format adds it).
   *
   * @param rendered text in the chat template
   * @return the ids
   * @throws InvalidInputException when the text does not hold exactly one image token
   */
  public long[] textIds(String rendered) {
    // Special tokens the template already wrote (a leading BOS) are not added a second time.
    long[] ids = tokenizer.hf().encodePrompt(rendered, texts.bosToken().orElse(""));
    int images = 0;
    for (long id : ids) {
      if (id == tokenizer.imageId()) {
        images++;
      }
    }
    if (images != 1) {
      throw new InvalidInputException(
          "prompt must hold exactly one image placeholder (token id " + tokenizer.imageId()
              + ") after templating, found " + images + ": " + rendered);
    }
    return ids;
  }

  /**
   * Returns the index of the image placeholder in a token sequence.
   *
   * @param ids the ids
   * @return its index, or -1 when absent
   */
  public int imageIndex(long[] ids) {
    return ImageSplice.indexOf(ids, tokenizer.imageId());
  }

  /**
   * Returns the sequence length of token ids once the image placeholder is expanded.
   *
   * @param ids token ids with one image token
   * @return {@code ids.length - 1 + numImageTokens}
   */
  public int expandedLength(long[] ids) {
    return ids.length - 1 + model.config().numImageTokens();
  }

  /**
   * Converts images to the model's pixel input with its image processor (channels first).
   *
   * @param manager owner of the result
   * @param images the images
   * @return {@code [B, 3, S, S]} float32
   */
  public NDArray pixels(NDManager manager, List<Image> images) {
    int s = model.config().visionConfig().imageSize();
    if (texts.pixelHeight() != s || texts.pixelWidth() != s) {
      throw new ModelFormatException(
          "the image processor makes " + texts.pixelWidth() + "x" + texts.pixelHeight()
              + " pixel values but vision_config.image_size is " + s);
    }
    float[] all = new float[images.size() * 3 * s * s];
    for (int i = 0; i < images.size(); i++) {
      float[] chw = texts.pixels(images.get(i));
      System.arraycopy(chw, 0, all, i * chw.length, chw.length);
    }
    return manager.create(all, new Shape(images.size(), 3, s, s));
  }

  /**
   * Builds right-padded decoder inputs from token sequences that each hold one image placeholder,
   * replacing the placeholder by that row's image features.
   *
   * @param manager owner of the results
   * @param imageFeatures {@code [B, numImageTokens, hidden]}, row i for sequence i
   * @param ids one token sequence per row
   * @return embeddings, mask and positions; padding at the right
   */
  public VlmInputs imageInputs(NDManager manager, NDArray imageFeatures, List<long[]> ids) {
    int b = ids.size();
    int n = model.config().numImageTokens();
    ImageSplice splice = ImageSplice.of(ids, tokenizer.imageId(), n, tokenizer.padId());
    int maxLen = splice.width();
    int[] lengths = splice.lengths();
    int[] imagePos = splice.imagePositions();
    boolean samePos = splice.samePosition();
    long[] text = splice.textIds();
    NDArray textEmb = model.embed(manager.create(text, new Shape(b, maxLen)));
    NDArray embeds;
    if (samePos) {
      int p = imagePos[0];
      NDList parts = new NDList();
      if (p > 0) {
        parts.add(textEmb.get(new NDIndex(":, :{}", p)));
      }
      parts.add(imageFeatures);
      if (p + n < maxLen) {
        parts.add(textEmb.get(new NDIndex(":, {}:", p + n)));
      }
      embeds = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1);
    } else {
      NDList rows = new NDList();
      for (int i = 0; i < b; i++) {
        int p = imagePos[i];
        NDList parts = new NDList();
        if (p > 0) {
          parts.add(textEmb.get(new NDIndex("{}, :{}", i, p)));
        }
        parts.add(imageFeatures.get(i));
        if (p + n < maxLen) {
          parts.add(textEmb.get(new NDIndex("{}, {}:", i, p + n)));
        }
        rows.add(NDArrays.concat(parts, 0));
      }
      embeds = NDArrays.stack(rows, 0);
    }
    return VlmInputs.rightPadded(manager, embeds, lengths);
  }

  /**
   * Builds the inputs for one instruction: its image and prompt, batch of one.
   *
   * @param manager owner of the results
   * @param image the image
   * @param promptText the user text
   * @return inputs for a batch of one, no padding
   */
  public VlmInputs promptInputs(NDManager manager, Image image, String promptText) {
    NDArray feats = model.imageFeatures(pixels(manager, List.of(image)));
    return imageInputs(manager, feats, List.of(promptIds(promptText)));
  }

  /**
   * Lists the token sequences of several texts, for batching.
   *
   * @param texts the texts
   * @return the ids of each text (no special tokens added)
   */
  public List<long[]> encodeAll(List<String> texts) {
    List<long[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      out.add(tokenizer.encode(t));
    }
    return out;
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
