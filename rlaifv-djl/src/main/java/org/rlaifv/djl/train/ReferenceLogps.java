package org.rlaifv.djl.train;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.rlaifv.ModelFormatException;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.core.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference model's log-probs of training responses, cached in {@code ref_logps.json} so that a
 * resumed run does not recompute them.
 *
 * <p>An entry is keyed by the response's identity, {@code promptId#index#seed}, and records the
 * summed log-prob of the response tokens, their number, and a digest of the prompt and response
 * text; an entry whose digest no longer matches is ignored (and recomputed). A file written for
 * another reference checkpoint is ignored as a whole.
 *
 * <pre>{@code
 * {"reference": "iter0-policy", "entries": {"p7#3#1234": {"logp": -18.25, "tokens": 9, "digest": "..."}}}
 * }</pre>
 *
 * <p>Not thread-safe. Owns no native memory.
 */
public final class ReferenceLogps {
  /** The cache's file name inside a training output directory. */
  public static final String FILE_NAME = "ref_logps.json";

  private static final Logger LOG = LoggerFactory.getLogger(ReferenceLogps.class);
  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxDocumentLength(1L << 30)
                      .maxNestingDepth(8)
                      .maxStringLength(1 << 20)
                      .build())
              .build());

  /**
   * One cached value.
   *
   * @param logp summed log-prob of the response tokens (including the end token) under the
   *     reference
   * @param tokens number of response tokens, &gt;= 1
   * @param digest digest of the prompt and response text the value was computed for
   */
  public record Entry(double logp, int tokens, String digest) {
    /** Validates the fields. */
    public Entry {
      Objects.requireNonNull(digest, "digest");
      if (tokens < 1) {
        throw new ModelFormatException("a reference log-prob entry needs tokens >= 1, got " + tokens);
      }
    }
  }

  private final String referenceId;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  private ReferenceLogps(String referenceId) {
    this.referenceId = referenceId;
  }

  /**
   * Returns an empty cache for a reference model.
   *
   * @param referenceId the reference checkpoint's id
   * @return the empty cache
   */
  public static ReferenceLogps empty(String referenceId) {
    return new ReferenceLogps(Objects.requireNonNull(referenceId, "referenceId"));
  }

  /**
   * Reads a cache file, or returns an empty cache when the file is missing or belongs to another
   * reference.
   *
   * @param file the cache file
   * @param referenceId the reference checkpoint's id
   * @return the cache
   * @throws ModelFormatException naming the file when it exists but cannot be parsed
   */
  public static ReferenceLogps read(Path file, String referenceId) {
    ReferenceLogps cache = empty(referenceId);
    if (!Files.isRegularFile(file)) {
      return cache;
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelFormatException("cannot parse " + file + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("entries").isObject()) {
      throw new ModelFormatException(file + ": expected {\"reference\": ..., \"entries\": {...}}");
    }
    String stored = root.path("reference").asText("");
    if (!stored.equals(referenceId)) {
      LOG.info("ignoring {}: written for reference {}, not {}", file, stored, referenceId);
      return cache;
    }
    for (Map.Entry<String, JsonNode> e : root.get("entries").properties()) {
      JsonNode v = e.getValue();
      if (!v.path("logp").isNumber() || !v.path("tokens").canConvertToInt()) {
        throw new ModelFormatException(file + ": entry " + e.getKey() + " lacks logp or tokens");
      }
      cache.entries.put(
          e.getKey(),
          new Entry(v.get("logp").doubleValue(), v.get("tokens").intValue(), v.path("digest").asText("")));
    }
    return cache;
  }

  /**
   * Returns the cache key of a response: {@code promptId#index#seed}.
   *
   * @param response the response
   * @return the key
   */
  public static String key(Response response) {
    return response.promptId() + "#" + response.index() + "#" + response.seed();
  }

  /**
   * Returns the digest that ties an entry to the exact prompt and response text.
   *
   * @param prompt the prompt
   * @param response the response
   * @return 16 hex characters of SHA-256 over the image hash, prompt text and response text
   */
  public static String digest(Prompt prompt, Response response) {
    byte[] sha = Hashing.sha256().newHasher()
        .putString(prompt.image().contentHash(), StandardCharsets.US_ASCII)
        .putByte((byte) 0)
        .putString(prompt.text(), StandardCharsets.UTF_8)
        .putByte((byte) 0)
        .putString(response.text(), StandardCharsets.UTF_8)
        .hash()
        .asBytes();
    return HexFormat.of().formatHex(sha, 0, 8);
  }

  /**
   * Looks up a response's cached value.
   *
   * @param prompt the prompt the response answers
   * @param response the response
   * @return the entry, empty when missing or computed for another text
   */
  public Optional<Entry> get(Prompt prompt, Response response) {
    Entry e = entries.get(key(response));
    if (e == null || !e.digest().equals(digest(prompt, response))) {
      return Optional.empty();
    }
    return Optional.of(e);
  }

  /**
   * Stores a response's value.
   *
   * @param prompt the prompt the response answers
   * @param response the response
   * @param logp summed reference log-prob of its tokens
   * @param tokens number of response tokens
   */
  public void put(Prompt prompt, Response response, double logp, int tokens) {
    entries.put(key(response), new Entry(logp, tokens, digest(prompt, response)));
  }

  /**
   * Returns the number of entries.
   *
   * @return the count
   */
  public int size() {
    return entries.size();
  }

  /**
   * Returns the reference checkpoint id the values belong to.
   *
   * @return the id
   */
  public String referenceId() {
    return referenceId;
  }

  /**
   * Writes the cache atomically (a temporary file renamed over the target).
   *
   * @param file the destination
   * @throws UncheckedIOException when the file cannot be written
   */
  public void write(Path file) {
    ObjectNode root = JSON.createObjectNode();
    root.put("reference", referenceId);
    ObjectNode es = root.putObject("entries");
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      ObjectNode v = es.putObject(e.getKey());
      v.put("logp", e.getValue().logp());
      v.put("tokens", e.getValue().tokens());
      v.put("digest", e.getValue().digest());
    }
    AtomicFiles.write(file, out -> JSON.writeValue(out, root));
  }
}
