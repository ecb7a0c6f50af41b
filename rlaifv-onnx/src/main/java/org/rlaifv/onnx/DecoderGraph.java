package org.rlaifv.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.HashMap;
import java.util.Map;
import org.rlaifv.InvalidInputException;
import org.rlaifv.ModelFormatException;

/**
 * What both {@link Decoder}s share: a decoder graph's session and key/value names, the checks of
 * the inputs and outputs every decoder has ({@code inputs_embeds}, {@code attention_mask}, {@code
 * position_ids} and {@code past_key_values.N.key/value} in; {@code logits} and one present tensor
 * per past out), and one run that stages the inputs, feeds the caches and wraps logits and present
 * tensors in a {@link DecoderOutput}.
 *
 * <p>Owns the graph and closes it in {@link #close()}. Runs may be issued from several threads.
 */
final class DecoderGraph implements AutoCloseable {
  private final OrtGraph graph;
  private final OrtConfig config;
  private final OrtEnvironment env;
  private final DirectBuffers buffers;
  private final String[] pastNames;
  private final String[] presentNames;
  /** Names of the per-row suffix inputs, or null for a graph that has none. */
  private final String[] suffixNames;

  /**
   * Wraps a loaded decoder graph.
   *
   * @param presentPrefix the outputs' name before the layer ({@code "present."})
   * @param suffixPrefix the suffix inputs' name before the layer, or null when the graph reads no
   *     suffix
   */
  DecoderGraph(
      OrtGraph graph,
      OrtConfig config,
      OrtEnvironment env,
      DirectBuffers buffers,
      String presentPrefix,
      String suffixPrefix) {
    this.graph = graph;
    this.config = config;
    this.env = env;
    this.buffers = buffers;
    this.pastNames = cacheNames("past_key_values.", config.layers());
    this.presentNames = cacheNames(presentPrefix, config.layers());
    this.suffixNames = suffixPrefix == null ? null : cacheNames(suffixPrefix, config.layers());
  }

  /** {@code prefix + layer + ".key"} and {@code ".value"} for every layer, keys first. */
  private static String[] cacheNames(String prefix, int layers) {
    String[] names = new String[2 * layers];
    for (int i = 0; i < layers; i++) {
      names[2 * i] = prefix + i + ".key";
      names[2 * i + 1] = prefix + i + ".value";
    }
    return names;
  }

  OrtEnvironment env() {
    return env;
  }

  /** A cache of {@code batch} rows and no positions. */
  OrtKvCache emptyCache(int batch) {
    return OrtKvCache.empty(env, buffers, config, batch);
  }

  /**
   * Checks every input and output against the config.
   *
   * @throws ModelFormatException naming the file and the input or output that is absent or whose
   *     shape disagrees
   */
  void validate() {
    long any = -1;
    int hidden = config.hiddenSize();
    int kvHeads = config.kvHeads();
    int headDim = config.headDim();
    graph.expectInput("inputs_embeds", any, any, hidden);
    graph.expectInput("attention_mask", any, any);
    graph.expectInput("position_ids", any, any);
    graph.expectOutput("logits", any, any, config.vocabSize());
    for (int i = 0; i < pastNames.length; i++) {
      graph.expectInput(pastNames[i], any, kvHeads, any, headDim);
      graph.expectOutput(presentNames[i], any, kvHeads, any, headDim);
      if (suffixNames != null) {
        graph.expectInput(suffixNames[i], any, kvHeads, any, headDim);
      }
    }
    int pastInputs = graph.countInputs("past_key_values.");
    if (pastInputs != pastNames.length) {
      throw new ModelFormatException(
          graph.file()
              + ": has "
              + pastInputs
              + " past_key_values inputs, expected "
              + pastNames.length
              + " for num_hidden_layers "
              + config.layers()
              + " in "
              + OrtConfig.FILE_NAME);
    }
  }

  /**
   * Checks the inputs against each other, runs the graph, and wraps the outputs: the cache is
   * {@code past} and the new positions, or with a {@code suffix} the suffix and the new positions.
   *
   * @param past the cache fed as {@code past_key_values} (not closed here)
   * @param suffix the cache fed as the suffix inputs, or null for a graph that reads none (not
   *     closed here)
   * @param rowsFit whether the caches' rows fit {@code batch}, as the decoder kind requires
   * @throws InvalidInputException when the sizes disagree
   */
  DecoderOutput run(
      float[] embeds,
      int batch,
      int seq,
      long[] attentionMask,
      long[] positionIds,
      OrtKvCache past,
      OrtKvCache suffix,
      boolean rowsFit) {
    int hidden = config.hiddenSize();
    int layers = config.layers();
    int own = suffix == null ? 0 : suffix.length();
    int total = past.length() + own + seq;
    if (!rowsFit
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
    try (StagedInputs in = new StagedInputs(env, buffers);
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
      result = graph.run(feeds);
      float[] logits = StagedInputs.toFloats(result.get("logits").orElseThrow());
      OnnxTensor[] present = new OnnxTensor[2 * layers];
      for (int i = 0; i < 2 * layers; i++) {
        present[i] = (OnnxTensor) result.get(presentNames[i]).orElseThrow();
      }
      OrtKvCache cache =
          new OrtKvCache(
              present,
              result,
              buffers,
              batch,
              suffix == null ? total : own + seq,
              config.kvHeads(),
              config.headDim());
      result = null;
      return new DecoderOutput(logits, batch, seq, config.vocabSize(), cache);
    } catch (OrtException e) {
      throw graph.failure(e);
    } finally {
      if (result != null) {
        result.close();
      }
    }
  }

  /** Closes the session. */
  @Override
  public void close() {
    graph.close();
  }
}
