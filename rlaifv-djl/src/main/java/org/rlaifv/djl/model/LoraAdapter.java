package org.rlaifv.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.rlaifv.InvalidInputException;
import org.rlaifv.LoraConfig;
import org.rlaifv.ModelFormatException;

/**
 * Low-rank adapters on the linear layers of a {@link VlmModel}, computed and stored as Hugging
 * Face PEFT's LoRA: a targeted layer {@code y = x W^T + b} becomes {@code y = x W^T + b + s *
 * dropout(x) A^T B^T} with {@code A} {@code [r, in]}, {@code B} {@code [out, r]} and {@code s =
 * lora_alpha / r} ({@code lora_alpha / sqrt(r)} with {@code use_rslora}). Dropout acts on the
 * adapter's input only, and only while {@linkplain #setTraining training}. A new adapter has
 * {@code A} drawn Kaiming-uniform with {@code a = sqrt(5)} (uniform in {@code +-1/sqrt(in)}, as
 * {@code nn.Linear} and PEFT initialise it) and {@code B = 0}, so it starts as the base model.
 *
 * <p>On disk an adapter is a PEFT adapter directory: {@value #CONFIG_FILE} ({@code peft_type}
 * LORA, {@code r}, {@code lora_alpha}, {@code lora_dropout}, {@code target_modules}, {@code
 * base_model_name_or_path}, {@code task_type} CAUSAL_LM...) and {@value #WEIGHTS_FILE} with keys
 * {@code base_model.model.<module path>.lora_A.weight} and {@code .lora_B.weight}, no adapter
 * name, the module path being the one of the base directory's key layout ({@link KeyLayout}), e.g.
 * {@code base_model.model.language_model.model.layers.0.self_attn.q_proj.lora_A.weight}.
 *
 * <p>Ownership: the adapter's arrays live in a sub-manager of the model's manager, so closing the
 * model frees them too; {@link #close()} frees them earlier. While attached ({@link
 * VlmModel#attachAdapter}) every forward of the model applies the enabled adapter.
 *
 * <pre>{@code
 * try (LoadedVlm vlm = LoadedVlm.load(base, Device.cpu())) {
 *   LoraAdapter lora = LoraAdapter.create(vlm.model(), LoraConfig.builder().build(), KeyLayout.of(base), 0);
 *   vlm.model().attachAdapter(lora);
 *   // train lora.parameters(), then:
 *   lora.save(out, base.toAbsolutePath().toString());
 * }
 * }</pre>
 */
public final class LoraAdapter implements AutoCloseable {
  /** The adapter configuration file of a PEFT adapter directory. */
  public static final String CONFIG_FILE = "adapter_config.json";

  /** The adapter weights file of a PEFT adapter directory. */
  public static final String WEIGHTS_FILE = "adapter_model.safetensors";

  private static final String KEY_PREFIX = "base_model.model.";
  private static final String A_SUFFIX = ".lora_A.weight";
  private static final String B_SUFFIX = ".lora_B.weight";

  private final NDManager manager;
  private final Map<String, NDArray[]> modules;
  private final Map<String, NDArray> params;
  private final int rank;
  private final double alpha;
  private final double dropout;
  private final boolean rslora;
  private final float scaling;
  private final JsonNode targetModules;
  private final KeyLayout layout;
  private volatile boolean enabled = true;
  private volatile boolean training;

  private LoraAdapter(NDManager manager, Map<String, NDArray[]> modules, int rank, double alpha,
      double dropout, boolean rslora, JsonNode targetModules, KeyLayout layout) {
    this.manager = manager;
    this.modules = modules;
    this.rank = rank;
    this.alpha = alpha;
    this.dropout = dropout;
    this.rslora = rslora;
    this.scaling = (float) (rslora ? alpha / Math.sqrt(rank) : alpha / rank);
    this.targetModules = targetModules;
    this.layout = layout;
    Map<String, NDArray> p = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray[]> e : modules.entrySet()) {
      p.put(e.getKey() + A_SUFFIX, e.getValue()[0]);
      p.put(e.getKey() + B_SUFFIX, e.getValue()[1]);
    }
    this.params = Collections.unmodifiableMap(p);
  }

  /**
   * Creates new adapters for the modules of a model that a configuration targets: {@code A}
   * Kaiming-uniform from a seeded generator, {@code B} zero.
   *
   * @param model the base model (its parameters are not changed)
   * @param config rank, alpha, dropout and targets
   * @param layout the key layout of the base directory (decides the saved module paths)
   * @param seed seed of {@code A}'s initialisation
   * @return the adapter, not yet attached
   * @throws InvalidInputException when a target module matches no linear layer of the model
   */
  public static LoraAdapter create(VlmModel model, LoraConfig config, KeyLayout layout, long seed) {
    JsonNode targets = targetsJson(config);
    List<String> names = new ArrayList<>();
    for (String entry : config.targetModules()) {
      JsonNode one = config.includeVision()
          ? VlmConfig.json().createArrayNode().add(entry)
          : VlmConfig.json().getNodeFactory().textNode(languageModelPattern(List.of(entry)));
      boolean any = false;
      for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
        String module = moduleOf(e.getKey(), e.getValue());
        if (module != null && matches(one, layout.name(module))) {
          any = true;
          if (!names.contains(module)) {
            names.add(module);
          }
        }
      }
      if (!any) {
        throw new InvalidInputException("LoRA target module " + entry + " matches no linear layer of "
            + (config.includeVision() ? "the model" : "the language model"));
      }
    }
    List<String> ordered = inModelOrder(model, names);
    Random rng = new Random(seed);
    NDManager m = model.manager().newSubManager();
    try {
      Map<String, NDArray[]> modules = new LinkedHashMap<>();
      for (String module : ordered) {
        long[] w = model.parameters().get(module + ".weight").getShape().getShape();
        int in = (int) w[1];
        float[] a = new float[config.rank() * in];
        double bound = 1.0 / Math.sqrt(in);
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
        NDArray aa = m.create(a, new Shape(config.rank(), in));
        NDArray bb = m.zeros(new Shape(w[0], config.rank()), DataType.FLOAT32);
        modules.put(module, new NDArray[] {named(aa, module + A_SUFFIX), named(bb, module + B_SUFFIX)});
      }
      return new LoraAdapter(m, modules, config.rank(), config.alpha(), config.dropout(), false,
          targets, layout);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * Reads a PEFT LoRA adapter directory for a base model, checking every tensor against the
   * model and the adapter's configuration. Keys of either LLaVA layout are accepted.
   *
   * @param adapterDir the directory holding {@value #CONFIG_FILE} and {@value #WEIGHTS_FILE}
   * @param model the base model
   * @param layout the key layout the adapter is saved in again
   * @return the adapter, not yet attached
   * @throws ModelFormatException naming the file and tensor when the configuration is not a
   *     supported LoRA one, a tensor adapts a module the base does not have or the configuration
   *     does not target ("unknown target"), a tensor's rank differs from {@code r} ("rank
   *     mismatch"), a tensor's size does not fit the base layer ("base mismatch"), or an A or B is
   *     missing its partner
   */
  public static LoraAdapter load(Path adapterDir, VlmModel model, KeyLayout layout) {
    Path cfgFile = adapterDir.resolve(CONFIG_FILE);
    JsonNode cfg = readConfig(cfgFile);
    String peftType = cfg.path("peft_type").asText("");
    if (!peftType.equals("LORA")) {
      throw new ModelFormatException(cfgFile + ": peft_type is " + cfg.get("peft_type")
          + "; only LORA adapters are supported");
    }
    JsonNode rNode = cfg.get("r");
    if (rNode == null || !rNode.canConvertToInt() || rNode.asInt() < 1) {
      throw new ModelFormatException(cfgFile + ": r must be an integer >= 1, got " + rNode);
    }
    int r = rNode.asInt();
    JsonNode alphaNode = cfg.get("lora_alpha");
    if (alphaNode == null || !alphaNode.isNumber() || !(alphaNode.asDouble() > 0)) {
      throw new ModelFormatException(cfgFile + ": lora_alpha must be a number > 0, got " + alphaNode);
    }
    double dropout = cfg.path("lora_dropout").asDouble(0);
    refuse(cfgFile, cfg, "use_dora", n -> n.asBoolean(false), "DoRA adapters are not supported");
    refuse(cfgFile, cfg, "fan_in_fan_out", n -> n.asBoolean(false),
        "fan_in_fan_out (Conv1D bases) is not supported");
    refuse(cfgFile, cfg, "bias", n -> !n.isNull() && !n.asText().equals("none"),
        "only bias \"none\" is supported");
    refuse(cfgFile, cfg, "rank_pattern", n -> n.isObject() && !n.isEmpty(),
        "per-module ranks (rank_pattern) are not supported");
    refuse(cfgFile, cfg, "alpha_pattern", n -> n.isObject() && !n.isEmpty(),
        "per-module alphas (alpha_pattern) are not supported");
    refuse(cfgFile, cfg, "modules_to_save", n -> !n.isNull() && !n.isEmpty(),
        "modules_to_save (fully trained extra modules) is not supported");
    JsonNode targets = cfg.get("target_modules");
    if (targets == null || !(targets.isArray() || targets.isTextual())) {
      throw new ModelFormatException(cfgFile + ": target_modules must be a list of names or a "
          + "regular expression, got " + targets);
    }
    if (targets.isTextual()) {
      try {
        Pattern.compile(targets.asText());
      } catch (PatternSyntaxException e) {
        throw new ModelFormatException(cfgFile + ": target_modules is not a valid regular "
            + "expression: " + e.getDescription(), e);
      }
    }
    boolean rslora = cfg.path("use_rslora").asBoolean(false);

    Path weightsFile = adapterDir.resolve(WEIGHTS_FILE);
    if (!Files.isRegularFile(weightsFile)) {
      throw new ModelFormatException("missing adapter weights " + weightsFile);
    }
    Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(weightsFile);
    Map<String, SafeTensors.Tensor[]> byModule = new LinkedHashMap<>();
    Map<String, String> keyOf = new LinkedHashMap<>();
    for (Map.Entry<String, SafeTensors.Tensor> e : tensors.entrySet()) {
      String key = e.getKey();
      boolean isA = key.endsWith(A_SUFFIX);
      if (!key.startsWith(KEY_PREFIX) || !(isA || key.endsWith(B_SUFFIX))) {
        throw new ModelFormatException(weightsFile + ": unexpected tensor " + key + " (LoRA keys are "
            + KEY_PREFIX + "<module>" + A_SUFFIX + " or " + B_SUFFIX + ")");
      }
      String stored = key.substring(KEY_PREFIX.length(), key.length() - A_SUFFIX.length());
      String module = HfWeights.canonical(stored);
      NDArray base = model.parameters().get(module + ".weight");
      if (base == null || moduleOf(module + ".weight", base) == null) {
        throw new ModelFormatException(weightsFile + ": unknown target: tensor " + key
            + " adapts module " + stored + ", which is not a linear layer of the base model");
      }
      if (!matches(targets, stored) && !matches(targets, layout.name(module))) {
        throw new ModelFormatException(weightsFile + ": unknown target: tensor " + key
            + " adapts module " + stored + ", which target_modules " + targets + " in " + cfgFile
            + " does not name");
      }
      long[] shape = e.getValue().shape();
      long[] w = base.getShape().getShape();
      if (shape.length != 2) {
        throw new ModelFormatException(weightsFile + ": tensor " + key + " has shape "
            + Arrays.toString(shape) + "; LoRA weights are matrices");
      }
      long rankDim = isA ? shape[0] : shape[1];
      if (rankDim != r) {
        throw new ModelFormatException(weightsFile + ": rank mismatch: tensor " + key + " has rank "
            + rankDim + " (shape " + Arrays.toString(shape) + ") but " + cfgFile + " says r = " + r);
      }
      long want = isA ? w[1] : w[0];
      long got = isA ? shape[1] : shape[0];
      if (got != want) {
        throw new ModelFormatException(weightsFile + ": base mismatch: tensor " + key + " has shape "
            + Arrays.toString(shape) + " but the base layer " + module + ".weight is "
            + Arrays.toString(w) + " (" + (isA ? "inputs " : "outputs ") + want
            + "); was the adapter trained on another base model?");
      }
      SafeTensors.Tensor[] pair = byModule.computeIfAbsent(module, k -> new SafeTensors.Tensor[2]);
      pair[isA ? 0 : 1] = e.getValue();
      keyOf.put(module, key);
    }
    if (byModule.isEmpty()) {
      throw new ModelFormatException(weightsFile + " holds no LoRA tensors");
    }
    for (Map.Entry<String, SafeTensors.Tensor[]> e : byModule.entrySet()) {
      if (e.getValue()[0] == null || e.getValue()[1] == null) {
        throw new ModelFormatException(weightsFile + ": tensor " + keyOf.get(e.getKey())
            + " has no " + (e.getValue()[0] == null ? "lora_A" : "lora_B") + " partner");
      }
    }
    List<String> ordered = inModelOrder(model, byModule.keySet());
    NDManager m = model.manager().newSubManager();
    try {
      Map<String, NDArray[]> modules = new LinkedHashMap<>();
      for (String module : ordered) {
        SafeTensors.Tensor[] t = byModule.get(module);
        modules.put(module, new NDArray[] {
            named(m.create(t[0].data(), new Shape(t[0].shape())), module + A_SUFFIX),
            named(m.create(t[1].data(), new Shape(t[1].shape())), module + B_SUFFIX)});
      }
      return new LoraAdapter(m, modules, r, alphaNode.asDouble(), dropout, rslora, targets, layout);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * Returns whether a directory is a PEFT adapter directory (it holds {@value #CONFIG_FILE} and no
   * {@code config.json}).
   *
   * @param dir a directory
   * @return true for an adapter directory
   */
  public static boolean isAdapterDirectory(Path dir) {
    return Files.isRegularFile(dir.resolve(CONFIG_FILE))
        && !Files.isRegularFile(dir.resolve(VlmConfig.FILE_NAME));
  }

  /**
   * Resolves the base model of an adapter directory from {@code base_model_name_or_path}: an
   * absolute path as it is; a relative one against the adapter directory first, then against the
   * working directory (as PEFT, which passes it to {@code from_pretrained}, would).
   *
   * @param adapterDir the adapter directory
   * @return the base model directory
   * @throws ModelFormatException naming the configuration file when the field is missing or no
   *     model directory is found there
   */
  public static Path baseDirectory(Path adapterDir) {
    Path cfgFile = adapterDir.resolve(CONFIG_FILE);
    JsonNode cfg = readConfig(cfgFile);
    String base = cfg.path("base_model_name_or_path").asText("");
    if (base.isBlank()) {
      throw new ModelFormatException(cfgFile + ": base_model_name_or_path is missing; load the "
          + "adapter onto its base with LoadedVlm.load(baseDir, adapterDir, device)");
    }
    Path p = Path.of(base);
    List<Path> tried = p.isAbsolute() ? List.of(p) : List.of(adapterDir.resolve(p).normalize(), p);
    for (Path c : tried) {
      if (Files.isRegularFile(c.resolve(VlmConfig.FILE_NAME)) || isAdapterDirectory(c)) {
        return c;
      }
    }
    throw new ModelFormatException(cfgFile + ": base_model_name_or_path " + base
        + " names no model directory (tried " + tried + ")");
  }

  /**
   * Writes the adapter as a PEFT adapter directory ({@value #CONFIG_FILE} and {@value
   * #WEIGHTS_FILE}, each atomically).
   *
   * @param dir the directory, created when absent
   * @param baseModelNameOrPath what {@code base_model_name_or_path} records (a path or hub id)
   */
  public void save(Path dir, String baseModelNameOrPath) {
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray[]> e : modules.entrySet()) {
      String stored = KEY_PREFIX + layout.name(e.getKey());
      tensors.put(stored + A_SUFFIX, tensor(e.getValue()[0]));
      tensors.put(stored + B_SUFFIX, tensor(e.getValue()[1]));
    }
    ObjectNode c = VlmConfig.json().createObjectNode();
    c.putObject("alpha_pattern");
    c.putNull("auto_mapping");
    c.put("base_model_name_or_path", baseModelNameOrPath);
    c.put("bias", "none");
    c.put("fan_in_fan_out", false);
    c.put("inference_mode", true);
    c.put("init_lora_weights", true);
    c.putNull("layers_pattern");
    c.putNull("layers_to_transform");
    if (alpha == Math.rint(alpha)) {
      c.put("lora_alpha", (long) alpha);
    } else {
      c.put("lora_alpha", alpha);
    }
    c.put("lora_dropout", dropout);
    c.putNull("modules_to_save");
    c.put("peft_type", "LORA");
    c.put("r", rank);
    c.putObject("rank_pattern");
    c.putNull("revision");
    c.set("target_modules", targetModules.deepCopy());
    c.put("task_type", "CAUSAL_LM");
    c.put("use_dora", false);
    c.put("use_rslora", rslora);
    try {
      Files.createDirectories(dir);
      SafeTensors.write(dir.resolve(WEIGHTS_FILE), tensors);
      AtomicFiles.write(dir.resolve(CONFIG_FILE),
          VlmConfig.json().writerWithDefaultPrettyPrinter().writeValueAsBytes(c));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write adapter directory " + dir, e);
    }
  }

  /**
   * Adds the adapter to a linear layer's output: {@code base + s * dropout(x) A^T B^T} when the
   * adapter is enabled and adapts the module, else {@code base} itself.
   *
   * @param x the layer's input
   * @param module the layer's name in the original layout, without {@code .weight}
   * @param base the base layer's output {@code x W^T + b}
   * @return the adapted output, owned by the input's manager
   */
  NDArray apply(NDArray x, String module, NDArray base) {
    NDArray[] ab = modules.get(module);
    if (ab == null || !enabled) {
      return base;
    }
    NDArray in = training && dropout > 0
        ? Dropout.dropout(x, (float) dropout, true).singletonOrThrow()
        : x;
    NDArray low = Linear.linear(in, ab[0]).singletonOrThrow();
    NDArray up = Linear.linear(low, ab[1]).singletonOrThrow();
    return base.add(up.mul(Scalars.of(up, scaling)));
  }

  /**
   * Adds {@code s B A} to each adapted weight of the model, in place and without autograd.
   *
   * @param params the model's parameters by original-layout name
   */
  void mergeInto(Map<String, NDArray> params) {
    boolean grad = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager tmp = manager.newSubManager()) {
      for (Map.Entry<String, NDArray[]> e : modules.entrySet()) {
        NDArray w = params.get(e.getKey() + ".weight");
        NDArray delta = e.getValue()[1].matMul(e.getValue()[0]).mul(scaling);
        delta.attach(tmp);
        w.addi(delta);
      }
    } finally {
      JniUtils.setGradMode(grad);
    }
  }

  /**
   * Returns the trainable arrays by name ({@code <module>.lora_A.weight}, {@code
   * <module>.lora_B.weight}, modules in the original layout), in model order. Updating them in
   * place updates the adapter.
   *
   * @return an unmodifiable, insertion-ordered view
   */
  public Map<String, NDArray> parameters() {
    return params;
  }

  /**
   * Returns the number of scalar parameters of the adapter.
   *
   * @return the parameter count
   */
  public long parameterCount() {
    return params.values().stream().mapToLong(a -> a.getShape().size()).sum();
  }

  /**
   * Returns the adapted modules, in model order and in the original layout.
   *
   * @return the module names (without {@code .weight})
   */
  public List<String> modules() {
    return List.copyOf(modules.keySet());
  }

  /**
   * Returns the rank r.
   *
   * @return the rank
   */
  public int rank() {
    return rank;
  }

  /**
   * Returns the factor the adapters' output is scaled by.
   *
   * @return {@code lora_alpha / r}, or {@code lora_alpha / sqrt(r)} with rsLoRA
   */
  public float scaling() {
    return scaling;
  }

  /**
   * Switches the adapter on or off; off, the model computes its base outputs exactly (the DPO
   * reference).
   *
   * @param on whether the adapter is applied
   */
  public void setEnabled(boolean on) {
    this.enabled = on;
  }

  /**
   * Returns whether the adapter is applied.
   *
   * @return true when enabled
   */
  public boolean enabled() {
    return enabled;
  }

  /**
   * Switches dropout on the adapters' input on (training) or off (evaluation, the default).
   *
   * @param on whether the model is being trained
   */
  public void setTraining(boolean on) {
    this.training = on;
  }

  /** Frees the adapter's arrays; detach it from its model first. */
  @Override
  public void close() {
    manager.close();
  }

  /** The given modules in the model's parameter order, whatever order they were found in. */
  private static List<String> inModelOrder(VlmModel model, java.util.Collection<String> modules) {
    List<String> ordered = new ArrayList<>();
    for (String name : model.parameters().keySet()) {
      String module = name.endsWith(".weight") ? name.substring(0, name.length() - 7) : null;
      if (module != null && modules.contains(module)) {
        ordered.add(module);
      }
    }
    return ordered;
  }

  /** The module of a linear-layer weight (2-d, not an embedding or the head), or null. */
  static String moduleOf(String paramName, NDArray value) {
    if (!paramName.endsWith(".weight") || value.getShape().dimension() != 2
        || paramName.contains("embed") || paramName.contains("lm_head")) {
      return null;
    }
    return paramName.substring(0, paramName.length() - ".weight".length());
  }

  /** PEFT's {@code check_target_module_exists}: a regex must match the whole name. */
  private static boolean matches(JsonNode targets, String name) {
    if (targets.isTextual()) {
      return Pattern.compile(targets.asText()).matcher(name).matches();
    }
    for (JsonNode t : targets) {
      String s = t.asText();
      if (name.equals(s) || name.endsWith("." + s)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code target_modules} a config saves: PEFT's list of suffixes when the vision side is
   * included, else a regular expression (PEFT's string form, matched against whole module names)
   * that keeps to the language model.
   */
  private static JsonNode targetsJson(LoraConfig config) {
    if (config.includeVision()) {
      ArrayNode a = VlmConfig.json().createArrayNode();
      config.targetModules().forEach(a::add);
      return a;
    }
    return VlmConfig.json().getNodeFactory().textNode(languageModelPattern(config.targetModules()));
  }

  private static String languageModelPattern(List<String> targets) {
    List<String> escaped = new ArrayList<>();
    for (String t : targets) {
      escaped.add(t.replaceAll("([\\\\.^$|?*+()\\[\\]{}])", "\\\\$1"));
    }
    return ".*language_model\\..*\\.(?:" + String.join("|", escaped) + ")";
  }

  private static JsonNode readConfig(Path cfgFile) {
    if (!Files.isRegularFile(cfgFile)) {
      throw new ModelFormatException("missing adapter configuration " + cfgFile);
    }
    try {
      JsonNode n = VlmConfig.json().readTree(Files.readAllBytes(cfgFile));
      if (n == null || !n.isObject()) {
        throw new ModelFormatException(cfgFile + " is not a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new ModelFormatException("cannot read " + cfgFile + ": " + e.getMessage(), e);
    }
  }

  private static void refuse(Path cfgFile, JsonNode cfg, String field,
      java.util.function.Predicate<JsonNode> bad, String why) {
    JsonNode n = cfg.get(field);
    if (n != null && bad.test(n)) {
      throw new ModelFormatException(cfgFile + ": " + field + " is " + n + ": " + why);
    }
  }

  private static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }

  private static SafeTensors.Tensor tensor(NDArray a) {
    return new SafeTensors.Tensor(a.getShape().getShape(), a.toType(DataType.FLOAT32, false)
        .toFloatArray());
  }
}
