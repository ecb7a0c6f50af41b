package org.rlaifv.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.rlaifv.BackendException;
import org.rlaifv.InvalidInputException;
import org.rlaifv.ModelFormatException;
import org.rlaifv.spi.BackendOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VLM or text-only causal LM exported to ONNX in the Optimum layout, loaded into ONNX Runtime
 * sessions: {@value #VISION} ({@code pixel_values -> image_features}; absent for a text-only LM,
 * whose config has no {@code vision_config}), {@value #EMBED} ({@code input_ids ->
 * inputs_embeds}) and {@value #DECODER} (inputs_embeds, attention_mask, position_ids and
 * past_key_values.N.key/value in; logits and present.N.key/value out). Opened with {@code
 * sharedPrefix}, it loads {@value #SHARED_PREFIX_DECODER} instead of the Optimum decoder when the
 * directory has it: the same model for many continuations of one cached row ({@link
 * #decodeSharedPrefix}).
 *
 * <p>Opening reads {@code config.json} (transformers' nested form or the earlier flat one), picks
 * the one decoder the model will run, and checks every graph's input and output names and fixed
 * dimensions against the config; it fails with a {@link ModelFormatException} naming the file and
 * the input.
 *
 * <pre>{@code
 * try (OrtModel model = OrtModel.open(dir, BackendOptions.defaults())) {
 *   float[] features = model.imageFeatures(pixels);
 * }
 * }</pre>
 *
 * <p>The model owns its sessions and closes them in {@link #close()}; whoever opened it closes it.
 * Runs may be issued from several threads (ONNX Runtime sessions are thread-safe), but {@link
 * OrtKvCache} objects are not shared between threads.
 */
public final class OrtModel implements AutoCloseable {
  /** File name of the vision encoder graph. */
  public static final String VISION = "vision_encoder.onnx";

  /** File name of the token embedding graph. */
  public static final String EMBED = "embed_tokens.onnx";

  /** File name of the decoder graph. */
  public static final String DECODER = "decoder_model_merged.onnx";

  /**
   * File name of the optional shared-prefix decoder: the decoder's inputs with a past (the prefix)
   * of one row, or B rows, that all B input rows continue from, read by broadcasting instead of
   * copied, plus each row's own {@code suffix_key_values.N.key/value}; outputs {@code logits} and
   * {@code present_suffix.N.key/value} (the suffix followed by the new positions).
   */
  public static final String SHARED_PREFIX_DECODER = "decoder_shared_prefix.onnx";

  /** File name of the model config. */
  public static final String CONFIG = OrtConfig.FILE_NAME;

  /**
   * Largest embedding table, in floats (16 MiB), that is read into memory at open; larger ones
   * are looked up by running {@value #EMBED}.
   */
  static final long EMBED_TABLE_MAX_FLOATS = 4L << 20;

  private static final Logger LOG = LoggerFactory.getLogger(OrtModel.class);

  private final Path directory;
  private final OrtEnvironment env;
  private final OrtConfig config;
  private final DirectBuffers buffers;
  private final OrtGraph vision;
  private final OrtGraph embed;
  private final Decoder decoder;
  private float[] embedTable;
  private boolean closed;

  private OrtModel(
      Path directory,
      OrtEnvironment env,
      OrtConfig config,
      DirectBuffers buffers,
      OrtGraph vision,
      OrtGraph embed,
      Decoder decoder) {
    this.directory = directory;
    this.env = env;
    this.config = config;
    this.buffers = buffers;
    this.vision = vision;
    this.embed = embed;
    this.decoder = decoder;
  }

  /**
   * Opens the model directory.
   *
   * @param directory directory holding the graphs and config.json
   * @param options device, threads and {@code onnx.*} properties
   * @return the model, owned (and closed) by the caller
   * @throws ModelFormatException naming the file (and input) when a graph or the config is
   *     missing or does not match
   * @throws BackendException when ONNX Runtime cannot create a session or the device is absent
   */
  public static OrtModel open(Path directory, BackendOptions options) {
    return open(directory, options, false);
  }

  /**
   * Opens the model directory, with the shared-prefix decoder instead of the Optimum one when
   * {@code sharedPrefix} is set and {@value #SHARED_PREFIX_DECODER} exists (for many
   * continuations of one cached prefix, as in judging); see {@link #hasSharedPrefixDecoder()}.
   *
   * @param directory directory holding the graphs and config.json
   * @param options device, threads and {@code onnx.*} properties
   * @param sharedPrefix whether to prefer the shared-prefix decoder
   * @return the model, owned (and closed) by the caller
   * @throws ModelFormatException naming the file (and input) when a graph or the config is
   *     missing or does not match
   * @throws BackendException when ONNX Runtime cannot create a session or the device is absent
   */
  public static OrtModel open(Path directory, BackendOptions options, boolean sharedPrefix) {
    OrtConfig config = OrtConfig.read(directory.resolve(CONFIG));
    boolean shared = sharedPrefix && Files.isRegularFile(directory.resolve(SHARED_PREFIX_DECODER));
    String decoderFile = shared ? SHARED_PREFIX_DECODER : DECODER;
    String[] required =
        config.hasVision()
            ? new String[] {VISION, EMBED, decoderFile}
            : new String[] {EMBED, decoderFile};
    for (String f : required) {
      if (!Files.isRegularFile(directory.resolve(f))) {
        throw new ModelFormatException(
            "missing ONNX graph " + directory.resolve(f) + "; export the model to " + directory);
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    DirectBuffers buffers = new DirectBuffers(DirectBuffers.DEFAULT_MAX_POOLED_BYTES);
    OrtGraph vision = null;
    OrtGraph embed = null;
    OrtGraph decoderGraph = null;
    try (OrtSession.SessionOptions so = OrtOptions.create(options)) {
      vision = config.hasVision() ? OrtGraph.load(env, directory.resolve(VISION), so) : null;
      embed = OrtGraph.load(env, directory.resolve(EMBED), so);
      decoderGraph = OrtGraph.load(env, directory.resolve(decoderFile), so);
      validate(config, vision, embed);
      Decoder decoder =
          shared
              ? new SharedPrefixDecoder(decoderGraph, config, env, buffers)
              : new OptimumDecoder(decoderGraph, config, env, buffers);
      OrtModel m = new OrtModel(directory, env, config, buffers, vision, embed, decoder);
      m.loadEmbedTable();
      LOG.debug(
          "opened ONNX model {} ({} layers, hidden {}, vocab {}) on {}",
          directory,
          config.layers(),
          config.hiddenSize(),
          config.vocabSize(),
          options.device());
      return m;
    } catch (RuntimeException e) {
      OrtGraph.closeQuietly(vision);
      OrtGraph.closeQuietly(embed);
      OrtGraph.closeQuietly(decoderGraph);
      throw e;
    }
  }

  /** Checks the vision and embedding graphs against the config; each decoder checks its own. */
  private static void validate(OrtConfig config, OrtGraph vision, OrtGraph embed) {
    long any = -1;
    if (vision != null) {
      int side = config.imageSize();
      vision.expectInput("pixel_values", any, 3, side, side);
      vision.expectOutput("image_features", any, config.imageTokens(), config.hiddenSize());
    }
    embed.expectInput("input_ids", any, any);
    embed.expectOutput("inputs_embeds", any, any, config.hiddenSize());
  }

  /**
   * Reads the whole embedding table once when it is small, so that lookups need no session run;
   * the embedding graph maps each token id on its own, so the table gives the same values.
   */
  private void loadEmbedTable() {
    int vocab = config.vocabSize();
    int hidden = config.hiddenSize();
    if ((long) vocab * hidden > EMBED_TABLE_MAX_FLOATS) {
      return;
    }
    long[] all = new long[vocab];
    for (int i = 0; i < vocab; i++) {
      all[i] = i;
    }
    float[] table = runEmbed(all, 1, vocab);
    if (table.length != vocab * hidden) {
      throw new ModelFormatException(
          embed.file()
              + ": output 'inputs_embeds' holds "
              + table.length
              + " values for "
              + vocab
              + " ids, expected "
              + vocab
              + " x "
              + hidden);
    }
    embedTable = table;
  }

  /**
   * Returns the decoder width.
   *
   * @return hidden_size
   */
  public int hiddenSize() {
    return config.hiddenSize();
  }

  /**
   * Returns the longest sequence the model accepts.
   *
   * @return max_position_embeddings, or {@link Integer#MAX_VALUE} when the config names none
   */
  public int maxPositions() {
    return config.maxPositions();
  }

  /**
   * Whether the model has a vision tower.
   *
   * @return false for a text-only LM
   */
  public boolean hasVision() {
    return config.hasVision();
  }

  /**
   * Returns the vocabulary size.
   *
   * @return vocab_size
   */
  public int vocabSize() {
    return config.vocabSize();
  }

  /**
   * Returns config.json's image_token_index.
   *
   * @return the id, or -1 when the config names none
   */
  long imageTokenIndex() {
    return config.imageTokenIndex();
  }

  /**
   * Returns the side length images are resized to.
   *
   * @return vision_config.image_size
   */
  public int imageSize() {
    return config.imageSize();
  }

  /**
   * Returns the number of decoder positions one image occupies.
   *
   * @return the image token count
   */
  public int imageTokens() {
    return config.imageTokens();
  }

  /**
   * Returns the model directory.
   *
   * @return the directory
   */
  public Path directory() {
    return directory;
  }

  OrtEnvironment env() {
    return env;
  }

  /**
   * Encodes one image.
   *
   * @param pixelsChw {@code 3 x imageSize x imageSize} values, channel-major
   * @return {@code imageTokens x hiddenSize} features, row-major
   */
  public float[] imageFeatures(float[] pixelsChw) {
    check();
    if (vision == null) {
      throw new InvalidInputException(
          "ONNX model " + directory + " is a text-only LM (no " + VISION + "): it takes no images");
    }
    int side = config.imageSize();
    if (pixelsChw.length != 3 * side * side) {
      throw new InvalidInputException(
          "pixel_values must hold 3x" + side + "x" + side + " values, got " + pixelsChw.length);
    }
    try (StagedInputs in = new StagedInputs(env, buffers);
        OnnxTensor px = in.floats(pixelsChw, 1, 3, side, side);
        OrtSession.Result r = vision.run(Map.of("pixel_values", px))) {
      return StagedInputs.toFloats(r.get(0));
    } catch (OrtException e) {
      throw vision.failure(e);
    }
  }

  /**
   * Looks up token embeddings: from the table read at open when it is small (see {@link
   * #EMBED_TABLE_MAX_FLOATS}), else by running the embedding graph.
   *
   * @param ids token ids, {@code batch x seq}, row-major
   * @param batch number of rows
   * @param seq tokens per row
   * @return {@code batch x seq x hiddenSize} embeddings, row-major
   */
  public float[] embed(long[] ids, int batch, int seq) {
    check();
    int vocab = config.vocabSize();
    for (long id : ids) {
      if (id < 0 || id >= vocab) {
        throw new InvalidInputException("token id " + id + " is outside [0, " + vocab + ")");
      }
    }
    if (ids.length != batch * seq) {
      throw new InvalidInputException(
          "input_ids hold " + ids.length + " ids, expected " + batch + " x " + seq);
    }
    if (embedTable != null) {
      int hidden = config.hiddenSize();
      float[] out = new float[ids.length * hidden];
      for (int i = 0; i < ids.length; i++) {
        System.arraycopy(embedTable, (int) ids[i] * hidden, out, i * hidden, hidden);
      }
      return out;
    }
    return runEmbed(ids, batch, seq);
  }

  /** Whether embeddings are looked up in memory rather than by running the graph. */
  boolean hasEmbedTable() {
    return embedTable != null;
  }

  /** Runs the embedding graph even when the table is in memory (for checks). */
  float[] embedByGraph(long[] ids, int batch, int seq) {
    check();
    return runEmbed(ids, batch, seq);
  }

  private float[] runEmbed(long[] ids, int batch, int seq) {
    try (StagedInputs in = new StagedInputs(env, buffers);
        OnnxTensor t = in.longs(ids, batch, seq);
        OrtSession.Result r = embed.run(Map.of("input_ids", t))) {
      return StagedInputs.toFloats(r.get(0));
    } catch (OrtException e) {
      throw embed.failure(e);
    }
  }

  /**
   * Creates an empty key/value cache.
   *
   * @param batch rows
   * @return the cache, owned by the caller
   */
  public OrtKvCache emptyCache(int batch) {
    check();
    return OrtKvCache.empty(env, buffers, config, batch);
  }

  /**
   * Runs the decoder over new positions, continuing from a cache.
   *
   * @param embeds {@code batch x seq x hiddenSize} input embeddings
   * @param batch rows
   * @param seq new positions per row
   * @param attentionMask {@code batch x (past + seq)} ones for real tokens, zeros for padding
   * @param positionIds {@code batch x seq} rotary positions
   * @param past the cache to continue from (not closed here; length 0 for a fresh start)
   * @return the logits and the new cache, owned by the caller
   * @throws IllegalStateException when the model was opened with the shared-prefix decoder
   */
  public DecoderOutput decode(
      float[] embeds,
      int batch,
      int seq,
      long[] attentionMask,
      long[] positionIds,
      OrtKvCache past) {
    check();
    if (!(decoder instanceof OptimumDecoder optimum)) {
      throw new IllegalStateException(
          "ONNX model " + directory + " was opened with " + SHARED_PREFIX_DECODER
              + "; use decodeSharedPrefix, or open it without sharedPrefix");
    }
    return optimum.decode(embeds, batch, seq, attentionMask, positionIds, past);
  }

  /**
   * Whether the model was opened with the shared-prefix decoder ({@link #decodeSharedPrefix}).
   *
   * @return true when {@value #SHARED_PREFIX_DECODER} is in use
   */
  public boolean hasSharedPrefixDecoder() {
    return decoder instanceof SharedPrefixDecoder;
  }

  /**
   * Runs the shared-prefix decoder: every one of {@code batch} rows continues from the same prefix
   * row (or from its own, when the prefix has {@code batch} rows), which is read in place rather
   * than copied per row, and then from its own suffix.
   *
   * @param embeds {@code batch x seq x hiddenSize} input embeddings
   * @param batch rows
   * @param seq new positions per row
   * @param attentionMask {@code batch x (prefix + suffix + seq)} ones for real tokens, zeros for
   *     padding
   * @param positionIds {@code batch x seq} rotary positions
   * @param prefix the shared cache, 1 or {@code batch} rows (not closed here; may be empty)
   * @param suffix each row's cache after the prefix, {@code batch} rows (not closed here; may be
   *     empty)
   * @return the logits and the suffix extended by the new positions ({@code batch} rows, length
   *     {@code suffix + seq}), owned by the caller
   * @throws IllegalStateException when the model was not opened with the shared-prefix decoder
   */
  public DecoderOutput decodeSharedPrefix(
      float[] embeds,
      int batch,
      int seq,
      long[] attentionMask,
      long[] positionIds,
      OrtKvCache prefix,
      OrtKvCache suffix) {
    check();
    if (!(decoder instanceof SharedPrefixDecoder shared)) {
      throw new IllegalStateException(
          "ONNX model " + directory + " was not opened with " + SHARED_PREFIX_DECODER);
    }
    return shared.decode(embeds, batch, seq, attentionMask, positionIds, prefix, suffix);
  }

  /**
   * Runs whichever decoder the model has from nothing over {@code batch} rows; the output's cache
   * is a prefix that rows continue from through {@link #decoder()}.
   *
   * @return the logits and the cache, owned by the caller
   */
  DecoderOutput prefill(
      float[] embeds, int batch, int seq, long[] attentionMask, long[] positionIds) {
    check();
    try (OrtKvCache empty = emptyCache(batch)) {
      return decoder.decode(embeds, batch, seq, attentionMask, positionIds, empty, empty);
    }
  }

  /**
   * Returns the decoder chosen at open, for rows that continue from a prefix.
   *
   * @return the decoder, owned by this model
   */
  Decoder decoder() {
    check();
    return decoder;
  }

  private void check() {
    if (closed) {
      throw new IllegalStateException("ONNX model " + directory + " is closed");
    }
  }

  /** Closes the three sessions; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    OrtGraph.closeQuietly(vision);
    embed.close();
    decoder.close();
  }
}
