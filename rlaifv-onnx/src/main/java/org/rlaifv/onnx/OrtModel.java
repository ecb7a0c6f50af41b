package org.rlaifv.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rlaifv.BackendException;
import org.rlaifv.InvalidInputException;
import org.rlaifv.ModelFormatException;
import org.rlaifv.spi.BackendOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VLM exported to ONNX in the Optimum layout, loaded into three ONNX Runtime sessions: {@value
 * #VISION} ({@code pixel_values -> image_features}), {@value #EMBED} ({@code input_ids ->
 * inputs_embeds}) and {@value #DECODER} (inputs_embeds, attention_mask, position_ids and
 * past_key_values.N.key/value in; logits and present.N.key/value out). Opened with {@code
 * sharedPrefix}, it loads {@value #SHARED_PREFIX_DECODER} instead of the Optimum decoder when the
 * directory has it: the same model for many continuations of one cached row ({@link
 * #decodeSharedPrefix}).
 *
 * <p>Opening checks every graph's input and output names and fixed dimensions against {@code
 * config.json} and fails with a {@link ModelFormatException} naming the file and the input.
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
  public static final String CONFIG = "config.json";

  /**
   * Largest embedding table, in floats (16 MiB), that is read into memory at open; larger ones
   * are looked up by running {@value #EMBED}.
   */
  static final long EMBED_TABLE_MAX_FLOATS = 4L << 20;

  private static final Logger LOG = LoggerFactory.getLogger(OrtModel.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final OrtEnvironment env;
  private final OrtSession vision;
  private final OrtSession embed;
  /** The Optimum decoder, or the shared-prefix one; {@link #shared} says which. */
  private final OrtSession decoder;
  private final boolean shared;
  private final int hidden;
  private final int layers;
  private final int kvHeads;
  private final int headDim;
  private final int vocab;
  private final int imageSize;
  private final int imageTokens;
  private final String[] pastNames;
  private final String[] presentNames;
  private final String[] suffixNames;
  private final DirectBuffers buffers = new DirectBuffers(DirectBuffers.DEFAULT_MAX_POOLED_BYTES);
  private float[] embedTable;
  private final long imageTokenIndex;
  private boolean closed;

  private OrtModel(
      Path directory,
      OrtEnvironment env,
      OrtSession vision,
      OrtSession embed,
      OrtSession decoder,
      boolean shared,
      JsonNode root) {
    // transformers' nested form keeps the decoder under text_config; the earlier flat form at
    // the top level
    JsonNode config = root.path("text_config").isObject() ? root.get("text_config") : root;
    this.directory = directory;
    this.env = env;
    this.vision = vision;
    this.embed = embed;
    this.decoder = decoder;
    this.shared = shared;
    this.hidden = intField(config, "hidden_size");
    this.layers = intField(config, "num_hidden_layers");
    int heads = intField(config, "num_attention_heads");
    this.kvHeads =
        config.has("num_key_value_heads") ? intField(config, "num_key_value_heads") : heads;
    this.headDim = hidden / heads;
    this.vocab = intField(config, "vocab_size");
    this.imageTokenIndex = root.path("image_token_index").asLong(root.path("image_token_id").asLong(-1));
    JsonNode v = root.path("vision_config");
    this.imageSize = intField(v, "image_size");
    int patch = intField(v, "patch_size");
    this.imageTokens = (imageSize / patch) * (imageSize / patch);
    this.pastNames = new String[2 * layers];
    this.presentNames = new String[2 * layers];
    this.suffixNames = new String[2 * layers];
    for (int i = 0; i < layers; i++) {
      pastNames[2 * i] = "past_key_values." + i + ".key";
      pastNames[2 * i + 1] = "past_key_values." + i + ".value";
      String out = shared ? "present_suffix." : "present.";
      presentNames[2 * i] = out + i + ".key";
      presentNames[2 * i + 1] = out + i + ".value";
      suffixNames[2 * i] = "suffix_key_values." + i + ".key";
      suffixNames[2 * i + 1] = "suffix_key_values." + i + ".value";
    }
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
    Path configFile = directory.resolve(CONFIG);
    JsonNode config;
    try {
      config = JSON.readTree(Files.readAllBytes(configFile));
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + configFile + ": " + e.getMessage(), e);
    }
    boolean shared = sharedPrefix && Files.isRegularFile(directory.resolve(SHARED_PREFIX_DECODER));
    String decoderFile = shared ? SHARED_PREFIX_DECODER : DECODER;
    for (String f : new String[] {VISION, EMBED, decoderFile}) {
      if (!Files.isRegularFile(directory.resolve(f))) {
        throw new ModelFormatException(
            "missing ONNX graph " + directory.resolve(f) + "; export the model to " + directory);
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession vision = null;
    OrtSession embed = null;
    OrtSession decoder = null;
    try (OrtSession.SessionOptions so = OrtOptions.create(options)) {
      vision = session(env, directory.resolve(VISION), so);
      embed = session(env, directory.resolve(EMBED), so);
      decoder = session(env, directory.resolve(decoderFile), so);
      OrtModel m = new OrtModel(directory, env, vision, embed, decoder, shared, config);
      m.validate();
      m.loadEmbedTable();
      LOG.debug(
          "opened ONNX model {} ({} layers, hidden {}, vocab {}) on {}",
          directory,
          m.layers,
          m.hidden,
          m.vocab,
          options.device());
      return m;
    } catch (RuntimeException e) {
      closeQuietly(vision);
      closeQuietly(embed);
      closeQuietly(decoder);
      throw e;
    }
  }

  private static OrtSession session(OrtEnvironment env, Path file, OrtSession.SessionOptions so) {
    try {
      return env.createSession(file.toString(), so);
    } catch (OrtException e) {
      throw new ModelFormatException(
          "ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(OrtSession s) {
    if (s != null) {
      try {
        s.close();
      } catch (OrtException e) {
        LOG.warn("closing an ONNX Runtime session failed: {}", e.getMessage());
      }
    }
  }

  private static int intField(JsonNode node, String name) {
    JsonNode f = node.get(name);
    if (f == null || !f.isIntegralNumber() || f.intValue() <= 0) {
      throw new ModelFormatException(
          CONFIG + ": field " + name + " must be a positive integer, got " + f);
    }
    return f.intValue();
  }

  private void validate() {
    long any = -1;
    expect(VISION, vision, true, "pixel_values", any, 3, imageSize, imageSize);
    expect(VISION, vision, false, "image_features", any, imageTokens, hidden);
    expect(EMBED, embed, true, "input_ids", any, any);
    expect(EMBED, embed, false, "inputs_embeds", any, any, hidden);
    String file = decoderFile();
    expect(file, decoder, true, "inputs_embeds", any, any, hidden);
    expect(file, decoder, true, "attention_mask", any, any);
    expect(file, decoder, true, "position_ids", any, any);
    expect(file, decoder, false, "logits", any, any, vocab);
    for (int i = 0; i < 2 * layers; i++) {
      expect(file, decoder, true, pastNames[i], any, kvHeads, any, headDim);
      expect(file, decoder, false, presentNames[i], any, kvHeads, any, headDim);
      if (shared) {
        expect(file, decoder, true, suffixNames[i], any, kvHeads, any, headDim);
      }
    }
    int pastInputs =
        (int) decoder.getInputNames().stream().filter(n -> n.startsWith("past_key_values.")).count();
    if (pastInputs != 2 * layers) {
      throw new ModelFormatException(
          directory.resolve(file)
              + ": has "
              + pastInputs
              + " past_key_values inputs, expected "
              + 2 * layers
              + " for num_hidden_layers "
              + layers
              + " in "
              + CONFIG);
    }
  }

  /**
   * Reads the whole embedding table once when it is small, so that lookups need no session run;
   * the embedding graph maps each token id on its own, so the table gives the same values.
   */
  private void loadEmbedTable() {
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
          directory.resolve(EMBED)
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

  private void expect(
      String file, OrtSession s, boolean input, String name, long... dims) {
    Path path = directory.resolve(file);
    Map<String, NodeInfo> infos;
    try {
      infos = input ? s.getInputInfo() : s.getOutputInfo();
    } catch (OrtException e) {
      throw new BackendException("cannot inspect " + path + ": " + e.getMessage(), e);
    }
    String kind = input ? "input" : "output";
    NodeInfo info = infos.get(name);
    if (info == null) {
      throw new ModelFormatException(
          path + ": missing " + kind + " '" + name + "' (has " + infos.keySet() + ")");
    }
    if (!(info.getInfo() instanceof TensorInfo t)) {
      throw new ModelFormatException(path + ": " + kind + " '" + name + "' is not a tensor");
    }
    long[] shape = t.getShape();
    boolean ok = shape.length == dims.length;
    for (int i = 0; ok && i < dims.length; i++) {
      ok = dims[i] < 0 || shape[i] < 0 || shape[i] == dims[i];
    }
    if (!ok) {
      throw new ModelFormatException(
          path
              + ": "
              + kind
              + " '"
              + name
              + "' has shape "
              + Arrays.toString(shape)
              + ", expected "
              + Arrays.toString(dims).replace("-1", "?")
              + " from "
              + CONFIG);
    }
  }

  /**
   * Returns the decoder width.
   *
   * @return hidden_size
   */
  public int hiddenSize() {
    return hidden;
  }

  /**
   * Returns the vocabulary size.
   *
   * @return vocab_size
   */
  public int vocabSize() {
    return vocab;
  }

  /**
   * Returns config.json's image_token_index.
   *
   * @return the id, or -1 when the config names none
   */
  long imageTokenIndex() {
    return imageTokenIndex;
  }

  /**
   * Returns the side length images are resized to.
   *
   * @return vision_config.image_size
   */
  public int imageSize() {
    return imageSize;
  }

  /**
   * Returns the number of decoder positions one image occupies.
   *
   * @return the image token count
   */
  public int imageTokens() {
    return imageTokens;
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
    if (pixelsChw.length != 3 * imageSize * imageSize) {
      throw new InvalidInputException(
          "pixel_values must hold 3x" + imageSize + "x" + imageSize + " values, got "
              + pixelsChw.length);
    }
    try (Staged in = new Staged();
        OnnxTensor px = in.floats(pixelsChw, 1, 3, imageSize, imageSize);
        OrtSession.Result r = vision.run(Map.of("pixel_values", px))) {
      return floats(r.get(0));
    } catch (OrtException e) {
      throw failure(VISION, e);
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
    try (Staged in = new Staged();
        OnnxTensor t = in.longs(ids, batch, seq);
        OrtSession.Result r = embed.run(Map.of("input_ids", t))) {
      return floats(r.get(0));
    } catch (OrtException e) {
      throw failure(EMBED, e);
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
    return OrtKvCache.empty(env, buffers, layers, batch, kvHeads, headDim);
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
      float[] embeds, int batch, int seq, long[] attentionMask, long[] positionIds, OrtKvCache past) {
    check();
    if (shared) {
      throw new IllegalStateException(
          "ONNX model " + directory + " was opened with " + SHARED_PREFIX_DECODER
              + "; use decodeSharedPrefix, or open it without sharedPrefix");
    }
    return run(embeds, batch, seq, attentionMask, positionIds, past, null, past.batch() == batch);
  }

  /**
   * Whether the model was opened with the shared-prefix decoder ({@link #decodeSharedPrefix}).
   *
   * @return true when {@value #SHARED_PREFIX_DECODER} is in use
   */
  public boolean hasSharedPrefixDecoder() {
    return shared;
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
    if (!shared) {
      throw new IllegalStateException(
          "ONNX model " + directory + " was not opened with " + SHARED_PREFIX_DECODER);
    }
    return run(
        embeds,
        batch,
        seq,
        attentionMask,
        positionIds,
        prefix,
        suffix,
        (prefix.batch() == 1 || prefix.batch() == batch) && suffix.batch() == batch);
  }

  /**
   * Checks the inputs against each other, runs the decoder, and wraps the outputs: the cache is
   * past and new positions, or with a {@code suffix} (shared-prefix decoder) suffix and new ones.
   */
  private DecoderOutput run(
      float[] embeds,
      int batch,
      int seq,
      long[] attentionMask,
      long[] positionIds,
      OrtKvCache past,
      OrtKvCache suffix,
      boolean pastRowsFit) {
    int own = suffix == null ? 0 : suffix.length();
    int total = past.length() + own + seq;
    if (!pastRowsFit
        || embeds.length != batch * seq * hidden
        || attentionMask.length != batch * total
        || positionIds.length != batch * seq) {
      throw new InvalidInputException(
          "decoder inputs disagree: batch "
              + batch
              + ", seq "
              + seq
              + ", cache "
              + past.batch()
              + "x"
              + past.length()
              + (suffix == null ? "" : ", suffix " + suffix.batch() + "x" + suffix.length())
              + ", embeds "
              + embeds.length
              + ", mask "
              + attentionMask.length
              + ", positions "
              + positionIds.length);
    }
    Map<String, OnnxTensor> feeds = new HashMap<>(4 * (3 + 4 * layers));
    OrtSession.Result result = null;
    try (Staged in = new Staged();
        OnnxTensor e = in.floats(embeds, batch, seq, hidden);
        OnnxTensor m = in.longs(attentionMask, batch, total);
        OnnxTensor p = in.longs(positionIds, batch, seq)) {
      feeds.put("inputs_embeds", e);
      feeds.put("attention_mask", m);
      feeds.put("position_ids", p);
      for (int i = 0; i < layers; i++) {
        feeds.put(pastNames[2 * i], past.key(i));
        feeds.put(pastNames[2 * i + 1], past.value(i));
        if (suffix != null) {
          feeds.put(suffixNames[2 * i], suffix.key(i));
          feeds.put(suffixNames[2 * i + 1], suffix.value(i));
        }
      }
      result = decoder.run(feeds);
      float[] logits = floats(result.get("logits").orElseThrow());
      OnnxTensor[] present = new OnnxTensor[2 * layers];
      for (int i = 0; i < 2 * layers; i++) {
        present[i] = (OnnxTensor) result.get(presentNames[i]).orElseThrow();
      }
      OrtKvCache cache =
          new OrtKvCache(
              present, result, buffers, batch, suffix == null ? total : own + seq, kvHeads, headDim);
      result = null;
      return new DecoderOutput(logits, batch, seq, vocab, cache);
    } catch (OrtException e) {
      throw failure(decoderFile(), e);
    } finally {
      if (result != null) {
        result.close();
      }
    }
  }

  private String decoderFile() {
    return shared ? SHARED_PREFIX_DECODER : DECODER;
  }

  /**
   * Input tensors of one run, staged in pooled direct buffers (ONNX Runtime reads them in place);
   * closing it after the tensors returns the buffers.
   */
  private final class Staged implements AutoCloseable {
    private final List<ByteBuffer> taken = new ArrayList<>(4);

    OnnxTensor floats(float[] values, long... shape) throws OrtException {
      ByteBuffer b = buffers.take(4 * values.length);
      taken.add(b);
      FloatBuffer f = b.asFloatBuffer();
      f.put(values).rewind();
      return OnnxTensor.createTensor(env, f, shape);
    }

    OnnxTensor longs(long[] values, long... shape) throws OrtException {
      ByteBuffer b = buffers.take(8 * values.length);
      taken.add(b);
      LongBuffer l = b.asLongBuffer();
      l.put(values).rewind();
      return OnnxTensor.createTensor(env, l, shape);
    }

    @Override
    public void close() {
      taken.forEach(buffers::give);
    }
  }

  private static float[] floats(OnnxValue v) {
    FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
    float[] out = new float[fb.remaining()];
    fb.get(out);
    return out;
  }

  private BackendException failure(String file, OrtException e) {
    return new BackendException(
        "ONNX Runtime failed running " + directory.resolve(file) + ": " + e.getMessage(), e);
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
    closeQuietly(vision);
    closeQuietly(embed);
    closeQuietly(decoder);
  }

  /**
   * One decoder run's result: logits for every new position and the extended cache.
   *
   * <p>Closing it closes the cache; take the cache with {@link #cache()} and close that instead to
   * keep it beyond the logits.
   */
  public static final class DecoderOutput implements AutoCloseable {
    private final float[] logits;
    private final int batch;
    private final int seq;
    private final int vocab;
    private final OrtKvCache cache;
    private boolean taken;

    DecoderOutput(float[] logits, int batch, int seq, int vocab, OrtKvCache cache) {
      this.logits = logits;
      this.batch = batch;
      this.seq = seq;
      this.vocab = vocab;
      this.cache = cache;
    }

    /**
     * Copies the logits of one position.
     *
     * @param row batch row
     * @param position index among the new positions
     * @return {@code vocabSize} logits
     */
    public float[] logits(int row, int position) {
      if (row < 0 || row >= batch || position < 0 || position >= seq) {
        throw new IndexOutOfBoundsException("row " + row + ", position " + position);
      }
      int from = (row * seq + position) * vocab;
      return Arrays.copyOfRange(logits, from, from + vocab);
    }

    /**
     * Returns the extended cache, still owned (and closed) by this output.
     *
     * @return the cache
     */
    public OrtKvCache cache() {
      return cache;
    }

    /**
     * Hands the cache over to the caller, who then closes it; closing this output no longer does.
     *
     * @return the cache
     */
    public OrtKvCache takeCache() {
      taken = true;
      return cache;
    }

    /** Closes the cache unless it was taken. */
    @Override
    public void close() {
      if (!taken) {
        cache.close();
      }
    }
  }
}
