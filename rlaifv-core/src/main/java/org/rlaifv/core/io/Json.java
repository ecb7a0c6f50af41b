package org.rlaifv.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.rlaifv.Checkpoint;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.HolisticVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;

/**
 * The SDK's JSON mapper and codecs for the API records.
 *
 * <p>The mapper is safe for untrusted input: {@link StreamReadConstraints} cap string length
 * ({@link #MAX_STRING_LENGTH}), nesting depth ({@link #MAX_NESTING_DEPTH}) and document length
 * ({@link #MAX_DOCUMENT_LENGTH}); unknown properties, missing record components, nulls for
 * primitives, duplicate keys and trailing tokens are errors. Records ({@code SamplingParams}, {@code DpoConfig},
 * {@code Response}, {@code Claim}, {@code PolarQuestion}, {@code ClaimVerdict}, {@code
 * ScoredResponse}, {@code TrainingMetrics}) map by their components, except that a {@code
 * ScoredResponse} writes its {@code holistic} component only when it is not empty and reads it as
 * empty when absent (run files written before holistic scoring read and write the same bytes). A {@link Checkpoint} is
 * written as {@code {"id": ..., "path": ...}}. An {@link Image} is never written inline (run files
 * reference prompts by id): serializing one fails.
 *
 * <pre>{@code
 * String json = Json.toJson(dpoConfig);
 * DpoConfig back = Json.fromJson(json, DpoConfig.class);
 * }</pre>
 *
 * <p>Thread-safe. {@link #reader()} and {@link #writer()} hand out immutable views of the shared
 * configuration; {@link #newMapper} is the one factory of the SDK's mappers (read limits, strict
 * parsing, the record codecs) for code that needs a mapper of its own.
 */
public final class Json {

  /** Longest JSON string value accepted, in characters (4 Mi). */
  public static final int MAX_STRING_LENGTH = 4 << 20;

  /** Deepest nesting of arrays and objects accepted. */
  public static final int MAX_NESTING_DEPTH = 64;

  /**
   * Longest JSON document accepted, in bytes (100 MiB: large enough for published tokenizer.json
   * files and safetensors headers); a JSON Lines line is one document.
   */
  public static final long MAX_DOCUMENT_LENGTH = 100L << 20;

  private static final ObjectMapper MAPPER = newMapper(false);
  private static final ObjectMapper PRETTY = newMapper(true);

  private Json() {}

  /**
   * Returns a reader with the SDK's configuration and read limits. Readers are immutable, so the
   * shared configuration cannot be changed through them.
   *
   * @return a reader of JSON trees and values
   */
  public static ObjectReader reader() {
    return MAPPER.reader();
  }

  /**
   * Returns a writer with the SDK's configuration (compact output).
   *
   * @return an immutable writer
   */
  public static ObjectWriter writer() {
    return MAPPER.writer();
  }

  /**
   * Returns a writer with the SDK's configuration and indented output.
   *
   * @return an immutable writer
   */
  public static ObjectWriter prettyWriter() {
    return PRETTY.writer();
  }

  /**
   * Creates an empty JSON object node.
   *
   * @return a new node
   */
  public static ObjectNode objectNode() {
    return MAPPER.createObjectNode();
  }

  /**
   * Creates a new mapper with the SDK's configuration, for callers that need to add modules.
   *
   * @param indent whether output is indented
   * @return a new mapper
   */
  public static ObjectMapper newMapper(boolean indent) {
    StreamReadConstraints limits =
        StreamReadConstraints.builder()
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxDocumentLength(MAX_DOCUMENT_LENGTH)
            .build();
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(limits)
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    SimpleModule module = new SimpleModule("rlaifv");
    module.addSerializer(Checkpoint.class, new CheckpointSerializer());
    module.addDeserializer(Checkpoint.class, new CheckpointDeserializer());
    module.addSerializer(Image.class, new ImageRefusingSerializer());
    module.addSerializer(Path.class, new PathSerializer());
    module.addDeserializer(Path.class, new PathDeserializer());
    module.addSerializer(ScoredResponse.class, new ScoredResponseSerializer());
    module.addDeserializer(ScoredResponse.class, new ScoredResponseDeserializer());
    return JsonMapper.builder(factory)
        .addModule(module)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
        // Trailing tokens are checked by readStrict: the feature also fires inside JsonNode-typed
        // record components in this Jackson version.
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .configure(SerializationFeature.INDENT_OUTPUT, indent)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }

  /**
   * Writes a value as one line of compact JSON (no line breaks: JSON escapes those in strings).
   *
   * @param value the value
   * @return the JSON text
   * @throws InvalidInputException when the value cannot be serialized (for example an image)
   */
  public static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("cannot serialize " + describe(value) + ": "
          + e.getOriginalMessage(), e);
    }
  }

  /**
   * Writes a value as indented JSON bytes in UTF-8, ending with a line break.
   *
   * @param value the value
   * @return the bytes
   * @throws InvalidInputException when the value cannot be serialized
   */
  public static byte[] toPrettyBytes(Object value) {
    try {
      String s = PRETTY.writeValueAsString(value) + "\n";
      return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("cannot serialize " + describe(value) + ": "
          + e.getOriginalMessage(), e);
    }
  }

  /**
   * Reads a value from JSON text.
   *
   * @param json the text
   * @param type the type to read
   * @param <T> the type
   * @return the value
   * @throws InvalidInputException when the text is malformed, over a read limit, or does not
   *     match the type
   */
  public static <T> T fromJson(String json, Class<T> type) {
    try {
      return readStrict(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "malformed JSON for " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw wrapValidation(e, type.getSimpleName());
    }
  }

  /**
   * Converts a tree to a value.
   *
   * @param node the tree
   * @param type the type to read
   * @param <T> the type
   * @return the value
   * @throws InvalidInputException when the tree does not match the type
   */
  public static <T> T fromTree(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          "JSON does not match " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    } catch (RuntimeException e) {
      throw wrapValidation(e, type.getSimpleName());
    }
  }

  /**
   * Converts a value to a tree.
   *
   * @param value the value
   * @return the tree
   * @throws InvalidInputException when the value cannot be serialized
   */
  public static JsonNode toTree(Object value) {
    try {
      return MAPPER.valueToTree(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("cannot serialize " + describe(value) + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Reads a JSON file.
   *
   * @param file the file
   * @param type the type to read
   * @param <T> the type
   * @return the value
   * @throws InvalidInputException naming the file when it is missing, too large or malformed
   */
  public static <T> T read(Path file, Class<T> type) {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_DOCUMENT_LENGTH) {
        throw new InvalidInputException(
            file + " is " + size + " bytes, over the limit of " + MAX_DOCUMENT_LENGTH);
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return readStrict(bytes, type);
    } catch (IOException e) {
      String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
      throw new InvalidInputException("malformed JSON in " + file + ": " + msg, e);
    } catch (RuntimeException e) {
      throw wrapValidation(e, file.toString());
    }
  }

  /**
   * Writes a value as indented JSON to a file, atomically.
   *
   * @param file the file to create or replace
   * @param value the value
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  public static void write(Path file, Object value) {
    AtomicFiles.write(file, toPrettyBytes(value));
  }

  /**
   * Reads exactly one JSON document of a type from bytes; anything after it is an error.
   *
   * @param bytes UTF-8 JSON
   * @param type the type
   * @param <T> the type
   * @return the value
   * @throws IOException when the JSON is malformed or followed by more content
   */
  static <T> T readStrict(byte[] bytes, Class<T> type) throws IOException {
    try (JsonParser p = MAPPER.createParser(bytes)) {
      T value = MAPPER.readValue(p, type);
      if (p.nextToken() != null) {
        throw com.fasterxml.jackson.databind.exc.MismatchedInputException.from(
            p, type, "unexpected content after the JSON value");
      }
      return value;
    }
  }

  static RuntimeException wrapValidation(RuntimeException e, String where) {
    if (e instanceof InvalidInputException) {
      return e;
    }
    return new InvalidInputException("invalid value in " + where + ": " + e.getMessage(), e);
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName();
  }

  /** Writes {@code holistic} only when present, so claim-scored files keep their layout. */
  private static final class ScoredResponseSerializer extends JsonSerializer<ScoredResponse> {
    @Override
    public void serialize(ScoredResponse value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeStartObject();
      serializers.defaultSerializeField("response", value.response(), gen);
      serializers.defaultSerializeField("verdicts", value.verdicts(), gen);
      if (value.isHolistic()) {
        serializers.defaultSerializeField("holistic", value.holistic(), gen);
      }
      gen.writeEndObject();
    }
  }

  /** Reads {@code response} and {@code verdicts} (required) and {@code holistic} (optional). */
  private static final class ScoredResponseDeserializer extends JsonDeserializer<ScoredResponse> {
    @Override
    public ScoredResponse deserialize(JsonParser p, DeserializationContext ctxt)
        throws IOException {
      JsonNode node = p.readValueAsTree();
      if (node == null || !node.isObject()) {
        return (ScoredResponse) ctxt.handleUnexpectedToken(ScoredResponse.class, p);
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!List.of("response", "verdicts", "holistic").contains(name)) {
          throw new InvalidInputException("unknown scored-response field '" + name
              + "' (expected response, verdicts, holistic)");
        }
      }
      for (String required : List.of("response", "verdicts")) {
        if (node.get(required) == null || node.get(required).isNull()) {
          throw new InvalidInputException("a scored response needs the field " + required);
        }
      }
      Response response = ctxt.readTreeAsValue(node.get("response"), Response.class);
      List<ClaimVerdict> verdicts = ctxt.readTreeAsValue(node.get("verdicts"),
          ctxt.getTypeFactory().constructCollectionType(List.class, ClaimVerdict.class));
      List<HolisticVerdict> holistic = node.has("holistic")
          ? ctxt.readTreeAsValue(node.get("holistic"),
              ctxt.getTypeFactory().constructCollectionType(List.class, HolisticVerdict.class))
          : List.of();
      return new ScoredResponse(response, verdicts, holistic);
    }
  }

  private static final class CheckpointSerializer extends JsonSerializer<Checkpoint> {
    @Override
    public void serialize(Checkpoint value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeStartObject();
      gen.writeStringField("id", value.id());
      gen.writeStringField("path", pathString(value.directory()));
      gen.writeEndObject();
    }
  }

  private static final class CheckpointDeserializer extends JsonDeserializer<Checkpoint> {
    @Override
    public Checkpoint deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode node = p.readValueAsTree();
      if (node == null || !node.isObject()) {
        return (Checkpoint) ctxt.handleUnexpectedToken(Checkpoint.class, p);
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!name.equals("id") && !name.equals("path")) {
          throw new InvalidInputException("unknown checkpoint field '" + name + "' (expected id, path)");
        }
      }
      JsonNode id = node.get("id");
      JsonNode path = node.get("path");
      if (id == null || !id.isTextual() || path == null || !path.isTextual()) {
        throw new InvalidInputException("a checkpoint needs text fields id and path, got " + node);
      }
      return new Checkpoint(id.asText(), Path.of(path.asText()));
    }
  }

  private static final class ImageRefusingSerializer extends JsonSerializer<Image> {
    @Override
    public void serialize(Image value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      throw new InvalidInputException(
          "images are not serialized inline; reference the prompt by id or export PNG files");
    }
  }

  private static final class PathSerializer extends JsonSerializer<Path> {
    @Override
    public void serialize(Path value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(pathString(value));
    }
  }

  private static final class PathDeserializer extends JsonDeserializer<Path> {
    @Override
    public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return Path.of(p.getValueAsString());
    }
  }

  /** Paths are written with {@code '/'} separators so run files read the same on every OS. */
  static String pathString(Path path) {
    String s = path.toString();
    return java.io.File.separatorChar == '/' ? s : s.replace(java.io.File.separatorChar, '/');
  }
}
