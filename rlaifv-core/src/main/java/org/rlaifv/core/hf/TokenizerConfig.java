package org.rlaifv.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.rlaifv.ModelFormatException;

/**
 * The fields of a Hugging Face {@code tokenizer_config.json} that prompting needs: special token
 * strings, whether BOS/EOS are added, the added-token table, the length limit and chat templates.
 *
 * <p>Missing optional fields take transformers' defaults: no special token, {@code add_bos_token}
 * and {@code add_eos_token} unknown (the tokenizer.json post-processor decides, as it does in
 * transformers when a tokenizer.json is present), no added tokens, no chat template, and
 * {@code model_max_length} of {@link #NO_LIMIT} (transformers' {@code VERY_LARGE_INTEGER}).
 * A special token may be written as a string or as an AddedToken object
 * ({@code {"__type": "AddedToken", "content": "<s>", ...}}); either reads as its content.
 *
 * <pre>{@code
 * TokenizerConfig cfg = TokenizerConfig.fromModelDirectory(dir);
 * String bos = cfg.bosToken().orElse("");
 * }</pre>
 *
 * @param bosToken the beginning-of-sequence token string
 * @param eosToken the end-of-sequence token string
 * @param padToken the padding token string
 * @param unkToken the unknown token string
 * @param addBosToken {@code add_bos_token} when the file sets it
 * @param addEosToken {@code add_eos_token} when the file sets it
 * @param addedTokens {@code added_tokens_decoder}: id to token, ordered by id
 * @param modelMaxLength {@code model_max_length}, or {@link #NO_LIMIT}
 * @param chatTemplates the {@code chat_template} field: a single template under {@code "default"},
 *     or the named templates of the list form; empty when absent
 */
public record TokenizerConfig(
    Optional<String> bosToken,
    Optional<String> eosToken,
    Optional<String> padToken,
    Optional<String> unkToken,
    Optional<Boolean> addBosToken,
    Optional<Boolean> addEosToken,
    SortedMap<Integer, AddedToken> addedTokens,
    long modelMaxLength,
    Map<String, String> chatTemplates) {

  /** The file name read from a model directory. */
  public static final String FILE_NAME = "tokenizer_config.json";

  /** {@code model_max_length} when the file sets none, or a value beyond {@code long}. */
  public static final long NO_LIMIT = Long.MAX_VALUE;

  /**
   * One entry of {@code added_tokens_decoder}.
   *
   * @param content the token string
   * @param special whether the tokenizer treats it as a special token
   */
  public record AddedToken(String content, boolean special) {
    /** Validates the content. */
    public AddedToken {
      if (content == null) {
        throw new IllegalArgumentException("added token content must not be null");
      }
    }
  }

  /** Copies the maps, which are then unmodifiable. */
  public TokenizerConfig {
    addedTokens = Collections.unmodifiableSortedMap(new TreeMap<>(addedTokens));
    chatTemplates = Collections.unmodifiableMap(new LinkedHashMap<>(chatTemplates));
    if (modelMaxLength <= 0) {
      throw new IllegalArgumentException("model_max_length must be positive, got " + modelMaxLength);
    }
  }

  /**
   * Returns a configuration with no fields set, as transformers has without the file.
   *
   * @return the defaults
   */
  public static TokenizerConfig empty() {
    return new TokenizerConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), new TreeMap<>(), NO_LIMIT, Map.of());
  }

  /**
   * Reads {@code tokenizer_config.json} from a model directory, or returns {@link #empty()} when
   * the directory has none.
   *
   * @param modelDirectory the directory
   * @return the configuration
   * @throws ModelFormatException naming the file and field when the file is malformed
   */
  public static TokenizerConfig fromModelDirectory(Path modelDirectory) {
    Path file = modelDirectory.resolve(FILE_NAME);
    return Files.isRegularFile(file) ? read(file) : empty();
  }

  /**
   * Reads a {@code tokenizer_config.json} file.
   *
   * @param file the file
   * @return the configuration
   * @throws ModelFormatException naming the file and field when it is missing or malformed
   */
  public static TokenizerConfig read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelFormatException("missing tokenizer config " + file);
    }
    JsonNode root = HfJson.read(file);
    SortedMap<Integer, AddedToken> added = new TreeMap<>();
    JsonNode decoder = root.path("added_tokens_decoder");
    if (!decoder.isMissingNode() && !decoder.isNull()) {
      if (!decoder.isObject()) {
        throw new ModelFormatException(file + ": field added_tokens_decoder must be an object");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = decoder.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        int id;
        try {
          id = Integer.parseInt(e.getKey());
        } catch (NumberFormatException ex) {
          throw new ModelFormatException(file + ": field added_tokens_decoder has a non-integer id '" + e.getKey() + "'");
        }
        JsonNode content = e.getValue().path("content");
        if (!content.isTextual()) {
          throw new ModelFormatException(file + ": field added_tokens_decoder." + id + ".content must be a string");
        }
        added.put(id, new AddedToken(content.asText(), e.getValue().path("special").asBoolean(false)));
      }
    }
    return new TokenizerConfig(
        token(root, "bos_token", file),
        token(root, "eos_token", file),
        token(root, "pad_token", file),
        token(root, "unk_token", file),
        bool(root, "add_bos_token", file),
        bool(root, "add_eos_token", file),
        added,
        maxLength(root, file),
        chatTemplates(root, file));
  }

  /**
   * Returns the special tokens a chat template receives: {@code bos_token}, {@code eos_token},
   * {@code unk_token} and {@code pad_token}, those that are set.
   *
   * @return variable name to token string
   */
  public Map<String, String> templateSpecialTokens() {
    Map<String, String> out = new LinkedHashMap<>();
    bosToken.ifPresent(t -> out.put("bos_token", t));
    eosToken.ifPresent(t -> out.put("eos_token", t));
    unkToken.ifPresent(t -> out.put("unk_token", t));
    padToken.ifPresent(t -> out.put("pad_token", t));
    return out;
  }

  private static Optional<String> token(JsonNode root, String field, Path file) {
    JsonNode v = root.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (v.isTextual()) {
      return Optional.of(v.asText());
    }
    if (v.isObject() && v.path("content").isTextual()) {
      return Optional.of(v.path("content").asText());
    }
    throw new ModelFormatException(
        file + ": field " + field + " must be a string or an AddedToken object with a string \"content\"");
  }

  private static Optional<Boolean> bool(JsonNode root, String field, Path file) {
    JsonNode v = root.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isBoolean()) {
      throw new ModelFormatException(file + ": field " + field + " must be true or false, got " + v);
    }
    return Optional.of(v.asBoolean());
  }

  private static long maxLength(JsonNode root, Path file) {
    JsonNode v = root.path("model_max_length");
    if (v.isMissingNode() || v.isNull()) {
      return NO_LIMIT;
    }
    if (!v.isNumber() || v.asDouble() <= 0) {
      throw new ModelFormatException(file + ": field model_max_length must be a positive number, got " + v);
    }
    if (v.isIntegralNumber()) {
      BigInteger big = v.bigIntegerValue();
      return big.bitLength() < 63 ? big.longValue() : NO_LIMIT;
    }
    double d = v.asDouble();
    return d >= 9.2e18 ? NO_LIMIT : (long) d;
  }

  private static Map<String, String> chatTemplates(JsonNode root, Path file) {
    JsonNode v = root.path("chat_template");
    Map<String, String> out = new LinkedHashMap<>();
    if (v.isMissingNode() || v.isNull()) {
      return out;
    }
    if (v.isTextual()) {
      out.put("default", v.asText());
      return out;
    }
    if (!v.isArray()) {
      throw new ModelFormatException(file + ": field chat_template must be a string or a list of {name, template}");
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode name = v.get(i).path("name");
      JsonNode template = v.get(i).path("template");
      if (!name.isTextual() || !template.isTextual()) {
        throw new ModelFormatException(file + ": field chat_template[" + i + "] must have string name and template");
      }
      out.put(name.asText(), template.asText());
    }
    return out;
  }
}
