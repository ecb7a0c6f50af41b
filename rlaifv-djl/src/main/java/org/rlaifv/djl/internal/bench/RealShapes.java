package org.rlaifv.djl.internal.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlaifv.core.hf.ModelTexts;
import org.rlaifv.djl.model.CausalLmModel;
import org.rlaifv.djl.model.TextConfig;
import org.rlaifv.djl.model.VlmConfig;
import org.rlaifv.djl.model.VlmModel;

/**
 * Random-weight model directories with the shapes of a published checkpoint, and the arithmetic
 * (FLOPs, bytes) of running them, for the {@code bench --real-shapes} section.
 *
 * <p>{@link #full()} has the shapes of {@code llava-hf/llava-interleave-qwen-0.5b-hf}: a SigLIP
 * so400m-patch14-384 tower (27 layers, width 1152, 16 heads, MLP 4304, 729 patches of a 384 x 384
 * image, {@code gelu_pytorch_tanh}), a 1152 -> 1024 -> 1024 GELU projector with biases and a Qwen2
 * decoder (24 layers, width 1024, 16 query and 16 key/value heads, MLP 2816, q/k/v biases, rope
 * theta 1e6, tied embeddings) over a 151,646-token vocabulary. {@link #quick()} keeps the
 * architecture at toy width. {@link #writeVlm} writes a Hugging Face LLaVA directory (nested
 * {@code config.json}, BF16 safetensors shards with an index, a word-level {@code tokenizer.json}
 * of the full vocabulary size, {@code tokenizer_config.json} with the LLaVA-OneVision Qwen chat
 * template, {@code generation_config.json}, {@code preprocessor_config.json}); {@link #writeTextLm}
 * writes the decoder alone as a {@code Qwen2ForCausalLM} directory. Both are deterministic in the
 * seed, and a directory already written for the same spec is reused.
 *
 * <pre>{@code
 * RealShapes.Spec spec = RealShapes.full();
 * Path vlm = RealShapes.writeVlm(spec, cache.resolve("vlm"));
 * double flops = RealShapes.prefillFlops(spec.vlm(), RealShapes.promptTokens(vlm, "is it? ..."));
 * }</pre>
 */
public final class RealShapes {
  /** The file that marks a finished directory and names the spec it was written for. */
  public static final String MARKER = "rlaifv-real-shapes.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENDOFTEXT = "<|endoftext|>";
  private static final String IM_START = "<|im_start|>";
  private static final String IM_END = "<|im_end|>";
  private static final String IMAGE = "<image>";
  private static final String UNK = "<unk>";

  /** LLaVA-OneVision's Qwen template, which the llava-interleave checkpoints share. */
  private static final String VLM_TEMPLATE =
      "{% for message in messages %}{{'<|im_start|>' + message['role'] + ' '}}"
          + "{% for content in message['content'] | selectattr('type', 'equalto', 'image') %}"
          + "{{ '<image>' }}{% endfor %}"
          + "{% for content in message['content'] | selectattr('type', 'equalto', 'text') %}"
          + "{{ '\\n' + content['text'] }}{% endfor %}{{'<|im_end|>'}}{% endfor %}"
          + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  /** Qwen2-Instruct's template without tools: a default system turn, then ChatML turns. */
  private static final String TEXT_TEMPLATE =
      "{% for message in messages %}{% if loop.first and message['role'] != 'system' %}"
          + "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
          + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
          + "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

  /** Words the benchmark prompts use; the rest of the vocabulary is filler. */
  private static final List<String> WORDS = List.of(UNK, ".", ",", "?", ":", "!", "-", "#",
      "Please", "answer", "yes", "Yes", "no", "No", "or", "is", "there", "a", "an", "the", "of",
      "on", "in", "at", "to", "and", "with", "image", "describe", "Describe", "detail", "red",
      "green", "blue", "yellow", "black", "white", "circle", "square", "triangle", "cross", "cat",
      "dog", "man", "woman", "car", "tree", "table", "chair", "cup", "left", "right", "top",
      "bottom", "middle", "near", "next", "behind", "small", "large", "two", "three", "one",
      "sitting", "standing", "holding", "wearing", "picture", "shows", "scene", "Split", "split",
      "following", "text", "into", "atomic", "facts", "Facts", "Rewrite", "each", "fact", "as",
      "question", "questions", "Modified", "sentences", "without", "changing", "tense", "adding",
      "content", "dropping", "negation", "Text", "user", "assistant", "system", "You", "are",
      "helpful", "It", "it", "This", "this", "I", "can", "see", "be", "that", "by", "for");

  private RealShapes() {}

  /**
   * A model size to benchmark.
   *
   * @param name a short name, recorded in the marker file and the figures
   * @param vlm the LLaVA model's sizes; the text-only model is its decoder
   * @param seed the weights' seed
   */
  public record Spec(String name, VlmConfig vlm, long seed) {}

  /**
   * Returns the shapes of {@code llava-hf/llava-interleave-qwen-0.5b-hf}.
   *
   * @return the spec
   */
  public static Spec full() {
    int vocab = 151_646;
    VlmConfig.VisionConfig v = new VlmConfig.VisionConfig(384, 14, 1152, 27, 16, 4304, 1e-6,
        VlmConfig.VisionConfig.SIGLIP, "gelu_pytorch_tanh", false);
    return new Spec("llava-interleave-qwen-0.5b", config(1024, 24, 16, 16, 2816, vocab, v), 7);
  }

  /**
   * Returns the same architecture at toy width (a 64 x 64 image in 16 patches of 14, two layers
   * of width 64 in each tower, 2,048 tokens), for a smoke run.
   *
   * @return the spec
   */
  public static Spec quick() {
    VlmConfig.VisionConfig v = new VlmConfig.VisionConfig(64, 14, 64, 2, 4, 128, 1e-6,
        VlmConfig.VisionConfig.SIGLIP, "gelu_pytorch_tanh", false);
    return new Spec("quick", config(64, 2, 4, 4, 176, 2048, v), 7);
  }

  private static VlmConfig config(int hidden, int layers, int heads, int kvHeads, int mlp,
      int vocab, VlmConfig.VisionConfig v) {
    return new VlmConfig(hidden, layers, heads, kvHeads, mlp, 1e-6, 1e6, vocab, 32768, 0.02, v,
        "gelu", -1, "qwen2", hidden / heads, true, false, false, true, 0, "full", true,
        vocab - 1, "silu");
  }

  /**
   * Writes (or reuses) the LLaVA directory of a spec.
   *
   * @param spec the sizes and seed
   * @param dir the directory; replaced when it holds another spec or an unfinished write
   * @return {@code dir}
   * @throws UncheckedIOException when a file cannot be written
   */
  public static Path writeVlm(Spec spec, Path dir) {
    return write(spec, dir, "vlm", () -> {
      ObjectNode cfg = spec.vlm().toJson();
      cfg.put("torch_dtype", "bfloat16");
      cfg.put("image_token_index", spec.vlm().imageTokenIndex());
      ((ObjectNode) cfg.get("text_config")).put("torch_dtype", "bfloat16");
      writeJson(dir.resolve("config.json"), cfg);
      RandomCheckpoint.write(dir, VlmModel.parameterShapes(spec.vlm()), 1L << 30, spec.seed());
      writeTexts(dir, spec.vlm().vocabSize(), VLM_TEMPLATE);
      VlmConfig.VisionConfig v = spec.vlm().visionConfig();
      ObjectNode pp = JSON.createObjectNode();
      pp.put("image_processor_type", "SiglipImageProcessor");
      pp.put("do_resize", true).put("do_rescale", true).put("do_normalize", true);
      pp.put("resample", 3).put("rescale_factor", 1 / 255.0);
      pp.putArray("image_mean").add(0.5).add(0.5).add(0.5);
      pp.putArray("image_std").add(0.5).add(0.5).add(0.5);
      pp.putObject("size").put("height", v.imageSize()).put("width", v.imageSize());
      pp.put("processor_class", "LlavaProcessor");
      writeJson(dir.resolve("preprocessor_config.json"), pp);
      ObjectNode proc = JSON.createObjectNode();
      proc.put("image_token", IMAGE).put("patch_size", v.patchSize());
      proc.put("vision_feature_select_strategy", "full").put("num_additional_image_tokens", 0);
      proc.put("processor_class", "LlavaProcessor");
      writeJson(dir.resolve("processor_config.json"), proc);
    });
  }

  /**
   * Writes (or reuses) the text-only {@code Qwen2ForCausalLM} directory of a spec: the LLaVA
   * model's decoder with its own weights.
   *
   * @param spec the sizes and seed
   * @param dir the directory; replaced when it holds another spec or an unfinished write
   * @return {@code dir}
   * @throws UncheckedIOException when a file cannot be written
   */
  public static Path writeTextLm(Spec spec, Path dir) {
    return write(spec, dir, "text", () -> {
      ObjectNode cfg = textConfigJson(spec.vlm());
      writeJson(dir.resolve("config.json"), cfg);
      TextConfig tc = TextConfig.fromJson(cfg);
      RandomCheckpoint.write(dir, CausalLmModel.parameterShapes(tc), 1L << 30, spec.seed() + 1);
      writeTexts(dir, spec.vlm().vocabSize(), TEXT_TEMPLATE);
    });
  }

  /** Writes a directory's files. */
  private interface Body {
    void run() throws IOException;
  }

  private static ObjectNode textConfigJson(VlmConfig c) {
    ObjectNode cfg = JSON.createObjectNode();
    cfg.putArray("architectures").add("Qwen2ForCausalLM");
    cfg.setAll((ObjectNode) c.toJson().get("text_config"));
    int v = c.vocabSize();
    cfg.put("bos_token_id", v - 4).put("eos_token_id", v - 2);
    cfg.put("torch_dtype", "bfloat16");
    return cfg;
  }

  private static Path write(Spec spec, Path dir, String kind, Body body) {
    ObjectNode marker = JSON.createObjectNode();
    marker.put("spec", spec.name()).put("kind", kind).put("seed", spec.seed());
    marker.put("config", spec.vlm().toJson().toString()).put("format", 1);
    Path m = dir.resolve(MARKER);
    try {
      // compared as text: a number read back may be another node type than the one written
      if (Files.isRegularFile(m) && JSON.readTree(m.toFile()).toString().equals(marker.toString())) {
        return dir;
      }
      if (Files.exists(dir)) {
        MoreFiles.deleteRecursively(dir, RecursiveDeleteOption.ALLOW_INSECURE);
      }
      Files.createDirectories(dir);
      body.run();
      writeJson(m, marker);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the " + kind + " model into " + dir, e);
    }
  }

  /**
   * Writes tokenizer.json, tokenizer_config.json and generation_config.json: a word-level
   * vocabulary of {@code vocab} ids whose last four are {@code <|endoftext|>}, {@code
   * <|im_start|>}, {@code <|im_end|>} and {@code <image>}, as in Qwen2's tokenizer.
   */
  private static void writeTexts(Path dir, int vocab, String template) throws IOException {
    List<String> special = List.of(ENDOFTEXT, IM_START, IM_END, IMAGE);
    int words = vocab - special.size();
    ObjectNode tok = JSON.createObjectNode();
    tok.put("version", "1.0");
    tok.putNull("truncation");
    tok.putNull("padding");
    ArrayNode added = tok.putArray("added_tokens");
    ObjectNode decoder = JSON.createObjectNode();
    for (int i = 0; i < special.size(); i++) {
      ObjectNode t = added.addObject();
      t.put("id", words + i).put("content", special.get(i));
      t.put("single_word", false).put("lstrip", false).put("rstrip", false);
      t.put("normalized", false).put("special", true);
      ObjectNode d = decoder.putObject(Integer.toString(words + i));
      d.put("content", special.get(i)).put("lstrip", false).put("normalized", false);
      d.put("rstrip", false).put("single_word", false).put("special", true);
    }
    tok.putNull("normalizer");
    tok.putObject("pre_tokenizer").put("type", "Whitespace");
    tok.putNull("post_processor");
    tok.putNull("decoder");
    ObjectNode model = tok.putObject("model");
    model.put("type", "WordLevel");
    ObjectNode v = model.putObject("vocab");
    List<String> list = new ArrayList<>(WORDS.subList(0, Math.min(WORDS.size(), words)));
    for (int i = 0; list.size() < words; i++) {
      list.add("w" + i);
    }
    for (int i = 0; i < list.size(); i++) {
      v.put(list.get(i), i);
    }
    model.put("unk_token", UNK);
    Files.write(dir.resolve("tokenizer.json"), JSON.writeValueAsBytes(tok));

    ObjectNode tc = JSON.createObjectNode();
    tc.set("added_tokens_decoder", decoder);
    tc.putArray("additional_special_tokens").add(IM_START).add(IM_END).add(IMAGE);
    tc.putNull("bos_token");
    tc.put("chat_template", template);
    tc.put("clean_up_tokenization_spaces", false);
    tc.put("eos_token", IM_END).put("pad_token", ENDOFTEXT).put("unk_token", UNK);
    tc.put("model_max_length", 32768).put("padding_side", "left");
    tc.put("tokenizer_class", "PreTrainedTokenizerFast");
    writeJson(dir.resolve("tokenizer_config.json"), tc);

    ObjectNode gc = JSON.createObjectNode();
    gc.put("bos_token_id", words);
    gc.putArray("eos_token_id").add(words + 2).add(words);
    gc.put("pad_token_id", words);
    writeJson(dir.resolve("generation_config.json"), gc);
  }

  private static void writeJson(Path file, ObjectNode node) throws IOException {
    Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
  }

  /**
   * Counts the decoder positions of one user turn through a model directory's chat template and
   * tokenizer, with the image placeholder expanded to the image's tokens.
   *
   * @param vlmDir a directory written by {@link #writeVlm}
   * @param imageTokens positions one image takes
   * @param text the user's text
   * @return decoder positions of the rendered prompt
   */
  public static int promptTokens(Path vlmDir, int imageTokens, String text) {
    String rendered = ModelTexts.read(vlmDir).userTurn(text);
    return textTokens(vlmDir, rendered) - 1 + imageTokens;
  }

  /**
   * Counts the tokens of a text, special tokens included, without adding any.
   *
   * @param modelDir the model directory holding tokenizer.json
   * @param text the text
   * @return the token count
   */
  public static int textTokens(Path modelDir, String text) {
    try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(
        modelDir.resolve("tokenizer.json"), Map.of("addSpecialTokens", "false"))) {
      return t.encode(text).getIds().length;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tokenizer of " + modelDir, e);
    }
  }

  /**
   * Counts the multiply-adds (x2) of encoding one image: patch embedding, the tower's layers
   * (projections, MLP, both attention products) and the projector.
   *
   * @param c the model's sizes
   * @return FLOPs
   */
  public static double visionFlops(VlmConfig c) {
    VlmConfig.VisionConfig v = c.visionConfig();
    double n = v.numPositions();
    double dv = v.hiddenSize();
    double layer = 2 * n * (4 * dv * dv + 2 * dv * v.intermediateSize()) + 2 * 2 * n * n * dv;
    double patch = 2 * v.numPatches() * dv * 3.0 * v.patchSize() * v.patchSize();
    double d = c.hiddenSize();
    double projector = 2 * c.numImageTokens() * (dv * d + d * d);
    return patch + c.visionLayersUsed() * layer + projector;
  }

  /**
   * Counts the FLOPs of running the decoder over {@code tokens} new positions after {@code past}
   * cached ones (projections, MLP, causal attention over the visible keys), and the vocabulary
   * projection of {@code headRows} positions.
   *
   * @param c the model's sizes
   * @param tokens new positions
   * @param past cached positions before them
   * @param headRows positions projected to vocabulary logits
   * @return FLOPs
   */
  public static double decoderFlops(VlmConfig c, double tokens, double past, double headRows) {
    TextConfig t = c.textConfig();
    double d = t.hiddenSize();
    double q = (double) t.numAttentionHeads() * t.headDim();
    double kv = (double) t.numKeyValueHeads() * t.headDim();
    double proj = 2 * tokens * (d * (q + 2 * kv) + q * d + 3 * d * t.intermediateSize());
    // new position i sees past + i + 1 keys: scores and weighted values, 2 FLOPs per product
    double attn = 2 * 2 * q * tokens * (past + (tokens + 1) / 2);
    return t.numHiddenLayers() * (proj + attn) + 2 * headRows * d * t.vocabSize();
  }

  /**
   * Counts the FLOPs of a prefill: one image through the tower and projector, then the decoder
   * over the whole prompt (image positions included) and the vocabulary projection of its last
   * position.
   *
   * @param c the model's sizes
   * @param promptTokens decoder positions of the prompt, image positions included
   * @return FLOPs
   */
  public static double prefillFlops(VlmConfig c, int promptTokens) {
    return visionFlops(c) + decoderFlops(c, promptTokens, 0, 1);
  }

  /**
   * Counts the FLOPs of one decode step: {@code rows} sequences each add one position after
   * {@code prefix} shared and {@code own} positions of its own, and each projects it to
   * vocabulary logits.
   *
   * @param c the model's sizes
   * @param rows sequences decoded together
   * @param prefix cached positions shared by every sequence
   * @param own positions of each sequence after the prefix
   * @return FLOPs
   */
  public static double decodeStepFlops(VlmConfig c, int rows, double prefix, double own) {
    return rows * decoderFlops(c, 1, prefix + own, 1);
  }

  /**
   * Counts the bytes one decode step must read at least, in float32: every decoder weight except
   * the embedding table (of which it reads one row per sequence), the vocabulary projection (the
   * tied embedding, read in full), the shared prefix's keys and values once and each sequence's
   * own keys and values.
   *
   * @param c the model's sizes
   * @param rows sequences decoded together
   * @param prefix cached positions shared by every sequence
   * @param own positions of each sequence after the prefix
   * @return bytes
   */
  public static double decodeStepBytes(VlmConfig c, int rows, double prefix, double own) {
    TextConfig t = c.textConfig();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.putAll(CausalLmModel.parameterShapes(t));
    double params = 0;
    for (long[] s : shapes.values()) {
      double n = 1;
      for (long x : s) {
        n *= x;
      }
      params += n;
    }
    double embedding = (double) t.vocabSize() * t.hiddenSize();
    double head = embedding; // read once by the vocabulary projection, tied or not
    double weights = params - (t.tieWordEmbeddings() ? embedding : 2 * embedding) + head
        + rows * (double) t.hiddenSize();
    double kvPerPosition = 2.0 * t.numHiddenLayers() * t.numKeyValueHeads() * t.headDim();
    return 4 * (weights + kvPerPosition * (prefix + rows * own));
  }
}
