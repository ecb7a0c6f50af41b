package org.rlaifv.djl.export;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rlaifv.ModelFormatException;
import org.rlaifv.djl.model.VlmConfig;
import org.rlaifv.djl.model.VlmModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports a DJL VLM to ONNX in the layout Hugging Face Optimum uses for vision-language models.
 *
 * <p>The output directory receives {@value #VISION} ({@code pixel_values -> image_features}),
 * {@value #EMBED} ({@code input_ids -> inputs_embeds}) and {@value #DECODER} ({@code
 * inputs_embeds}, {@code attention_mask}, {@code position_ids}, {@code past_key_values.N.key/value}
 * in; {@code logits}, {@code present.N.key/value} out; the past may be empty), all opset {@value
 * OnnxGraph#OPSET} with the weights (float32) as initializers inside each file, plus {@code
 * config.json} and, when exporting a directory, the tokenizer and prompt-format files beside them.
 * Beside the Optimum files it writes {@value #SHARED_PREFIX_DECODER}: the decoder again, for B
 * continuations of one cached prefix (inputs as above with the past as the prefix, 1 or B rows,
 * plus each row's own {@code suffix_key_values.N.key/value}; outputs {@code logits} and {@code
 * present_suffix.N.key/value}), which the ONNX Runtime judge and sampler use so that the prefix is
 * not copied once per question or sample. The graphs compute exactly what {@link
 * VlmModel} computes.
 *
 * <pre>{@code
 * OnnxExporter.export(Path.of("policy"), Path.of("policy-onnx"));
 * }</pre>
 *
 * <p>Stateless and thread-safe; no Python or protobuf compiler is involved.
 */
public final class OnnxExporter {
  /** File name of the vision encoder graph. */
  public static final String VISION = "vision_encoder.onnx";

  /** File name of the token embedding graph. */
  public static final String EMBED = "embed_tokens.onnx";

  /** File name of the decoder graph. */
  public static final String DECODER = "decoder_model_merged.onnx";

  /**
   * File name of the shared-prefix decoder: the same weights, for many continuations of one
   * cached prefix (the judge's questions, the sampler's samples) without copying the prefix's
   * cache per row.
   */
  public static final String SHARED_PREFIX_DECODER = "decoder_shared_prefix.onnx";

  private static final String PRODUCER = "rlaifv-djl";
  private static final Logger LOG = LoggerFactory.getLogger(OnnxExporter.class);

  private OnnxExporter() {}

  /**
   * Exports a model directory: loads it on the CPU, writes the four graphs and {@code
   * config.json}, and copies every other {@code .json} file (tokenizer, prompt format) beside them.
   *
   * @param modelDir the DJL model directory (config.json, model.safetensors, tokenizer.json, ...)
   * @param outDir the destination, created when absent
   * @throws ModelFormatException naming the file when the model cannot be read
   * @throws UncheckedIOException when a file cannot be written
   */
  public static void export(Path modelDir, Path outDir) {
    export(modelDir, outDir, true);
  }

  /**
   * Exports a model directory for rlaifv's own ONNX Runtime roles only: as {@link #export(Path,
   * Path)} without {@value #DECODER}, which {@code OrtResponseSampler} and {@code OrtPolarJudge}
   * do not read when {@value #SHARED_PREFIX_DECODER} is there. Use it where a policy is
   * re-exported every iteration to be sampled, as with {@code OrtPolicies.reexportingSampler}; use
   * {@link #export(Path, Path)} for a directory other tools will read.
   *
   * @param modelDir the DJL model directory
   * @param outDir the destination, created when absent
   * @throws ModelFormatException naming the file when the model cannot be read
   * @throws UncheckedIOException when a file cannot be written
   */
  public static void exportForSampling(Path modelDir, Path outDir) {
    export(modelDir, outDir, false);
  }

  private static void export(Path modelDir, Path outDir, boolean optimumDecoder) {
    try (VlmModel model = VlmModel.load(modelDir, Device.cpu())) {
      write(model, outDir, optimumDecoder);
    }
    try (var files = Files.list(modelDir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (Files.isRegularFile(f) && name.endsWith(".json") && !name.equals(VlmConfig.FILE_NAME)) {
          Files.copy(f, outDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy model files from " + modelDir + " to " + outDir, e);
    }
  }

  /**
   * Exports a loaded model: writes the four graphs and {@code config.json}.
   *
   * @param model the model (read, not modified)
   * @param outDir the destination, created when absent
   * @throws UncheckedIOException when a file cannot be written
   * @throws org.rlaifv.UnsupportedCapabilityException when the model is not of the architecture
   *     the graphs implement
   */
  public static void export(VlmModel model, Path outDir) {
    write(model, outDir, true);
  }

  private static void write(VlmModel model, Path outDir, boolean optimumDecoder) {
    if (!model.config().isBaseArchitecture()) {
      throw new org.rlaifv.UnsupportedCapabilityException(
          "the ONNX export covers only this SDK's original architecture (Llama text model without"
              + " biases, untied head, CLIP-style tower without class token, full features); this"
              + " model is a " + model.config().textModelType() + " / "
              + model.config().visionConfig().modelType() + " LLaVA: run it with the djl backend");
    }
    try {
      Files.createDirectories(outDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + outDir, e);
    }
    VlmConfig c = model.config();
    WeightSource w = weights(model.parameters());
    VlmConfig.VisionConfig v = c.visionConfig();
    VisionGraph.build(
            new VisionGraph.Shape(
                v.imageSize(),
                v.patchSize(),
                v.hiddenSize(),
                v.numAttentionHeads(),
                v.intermediateSize(),
                c.visionLayersUsed(),
                (float) v.layerNormEps(),
                c.hiddenSize()),
            w)
        .write(outDir.resolve(VISION), PRODUCER);
    EmbedGraph.build(
            "language_model.model.embed_tokens.weight", c.vocabSize(), c.hiddenSize(), w)
        .write(outDir.resolve(EMBED), PRODUCER);
    DecoderGraph.Shape shape =
        new DecoderGraph.Shape(
            c.hiddenSize(),
            c.numHiddenLayers(),
            c.numAttentionHeads(),
            c.numKeyValueHeads(),
            c.headDim(),
            c.intermediateSize(),
            c.vocabSize(),
            (float) c.rmsNormEps(),
            c.ropeTheta());
    DecoderGraph.Names names =
        new DecoderGraph.Names(
            "language_model.model.layers.",
            "language_model.model.norm.weight",
            "language_model.lm_head.weight");
    if (optimumDecoder) {
      DecoderGraph.build(shape, names, w).write(outDir.resolve(DECODER), PRODUCER);
    }
    DecoderGraph.buildSharedPrefix(shape, names, w)
        .write(outDir.resolve(SHARED_PREFIX_DECODER), PRODUCER);
    c.write(outDir.resolve(VlmConfig.FILE_NAME));
    LOG.info("exported {} parameters to ONNX in {}", model.parameterCount(), outDir);
  }

  /**
   * Lists the files an export writes (graphs and config), for callers that check a directory.
   *
   * @return the file names
   */
  public static List<String> files() {
    return new ArrayList<>(
        List.of(VISION, EMBED, DECODER, SHARED_PREFIX_DECODER, VlmConfig.FILE_NAME));
  }

  private static WeightSource weights(Map<String, NDArray> params) {
    return (name, shape) -> {
      NDArray a = params.get(name);
      if (a == null) {
        throw new ModelFormatException("model has no parameter " + name + " to export");
      }
      long[] actual = a.getShape().getShape();
      if (!Arrays.equals(actual, shape)) {
        throw new ModelFormatException(
            "parameter "
                + name
                + " has shape "
                + Arrays.toString(actual)
                + ", the ONNX graph expects "
                + Arrays.toString(shape));
      }
      return (a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false))
          .toFloatArray();
    };
  }
}
