package org.rlaifv.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.rlaifv.ModelFormatException;

/**
 * The token ids of a Hugging Face {@code generation_config.json} that decoding needs.
 *
 * <p>{@code eos_token_id} may be one id or a list (Llama 3 lists several); it is always a list
 * here, empty when unset. A model directory without the file gives {@link #empty()}.
 *
 * @param eosTokenIds the ids that end generation, in file order
 * @param padTokenId {@code pad_token_id} when set
 * @param bosTokenId {@code bos_token_id} when set
 */
public record GenerationConfig(List<Long> eosTokenIds, OptionalLong padTokenId, OptionalLong bosTokenId) {

  /** The file name read from a model directory. */
  public static final String FILE_NAME = "generation_config.json";

  /** Copies the list. */
  public GenerationConfig {
    eosTokenIds = List.copyOf(eosTokenIds);
  }

  /**
   * Returns a configuration with no ids, as transformers has without the file.
   *
   * @return the empty configuration
   */
  public static GenerationConfig empty() {
    return new GenerationConfig(List.of(), OptionalLong.empty(), OptionalLong.empty());
  }

  /**
   * Reads {@code generation_config.json} from a model directory, or returns {@link #empty()}
   * when there is none.
   *
   * @param modelDirectory the directory
   * @return the configuration
   * @throws ModelFormatException naming the file and field when the file is malformed
   */
  public static GenerationConfig fromModelDirectory(Path modelDirectory) {
    Path file = modelDirectory.resolve(FILE_NAME);
    return Files.isRegularFile(file) ? read(file) : empty();
  }

  /**
   * Reads a {@code generation_config.json} file.
   *
   * @param file the file
   * @return the configuration
   * @throws ModelFormatException naming the file and field when it is missing or malformed
   */
  public static GenerationConfig read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new ModelFormatException("missing generation config " + file);
    }
    JsonNode root = HfJson.read(file);
    List<Long> eos = new ArrayList<>();
    JsonNode v = root.path("eos_token_id");
    if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        eos.add(id(v.get(i), file, "eos_token_id[" + i + "]"));
      }
    } else if (!v.isMissingNode() && !v.isNull()) {
      eos.add(id(v, file, "eos_token_id"));
    }
    return new GenerationConfig(eos, optionalId(root, "pad_token_id", file), optionalId(root, "bos_token_id", file));
  }

  /**
   * Whether an id ends generation.
   *
   * @param tokenId the id
   * @return true when it is one of {@link #eosTokenIds()}
   */
  public boolean isEos(long tokenId) {
    return eosTokenIds.contains(tokenId);
  }

  private static OptionalLong optionalId(JsonNode root, String field, Path file) {
    JsonNode v = root.path(field);
    return v.isMissingNode() || v.isNull() ? OptionalLong.empty() : OptionalLong.of(id(v, file, field));
  }

  private static long id(JsonNode v, Path file, String field) {
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new ModelFormatException(file + ": field " + field + " must be a non-negative integer, got " + v);
    }
    return v.asLong();
  }
}
