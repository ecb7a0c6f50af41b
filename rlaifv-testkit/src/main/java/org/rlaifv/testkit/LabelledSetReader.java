package org.rlaifv.testkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;

/** Reads a {@link LabelledSet} from JSONL; every error names the file and the line. */
final class LabelledSetReader {

  /** Read limits for untrusted input: a line is one small flat object. */
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(8)
                          .maxStringLength(LabelledSet.MAX_LINE_CHARS)
                          .maxNumberLength(64)
                          .maxNameLength(256)
                          .maxDocumentLength(LabelledSet.MAX_LINE_CHARS)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Path file;
  private final Path root;
  private final Map<Path, Image> images = new HashMap<>();

  LabelledSetReader(Path file, Path root) {
    this.file = Objects.requireNonNull(file, "file");
    Objects.requireNonNull(root, "root");
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new InvalidInputException(
          "data set root " + root + " of " + file + " cannot be opened: " + e.getMessage(), e);
    }
  }

  LabelledSet read() {
    List<Row> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNo = 0;
      String line;
      while ((line = nextLine(in, lineNo + 1)) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        if (rows.size() >= LabelledSet.MAX_ITEMS) {
          throw error(lineNo, "more than " + LabelledSet.MAX_ITEMS + " items");
        }
        rows.add(parse(line, lineNo));
      }
    } catch (NoSuchFileException e) {
      throw new InvalidInputException("labelled set " + file + " does not exist", e);
    } catch (IOException e) {
      throw new InvalidInputException("cannot read labelled set " + file + ": " + e.getMessage(), e);
    }
    return link(rows);
  }

  private record Row(int line, LabelledQuestion item, String negates) {}

  /** Reads one line, refusing lines over the limit before they are held in memory whole. */
  private String nextLine(BufferedReader in, int lineNo) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c = in.read();
    if (c < 0) {
      return null;
    }
    while (c >= 0 && c != '\n') {
      if (sb.length() >= LabelledSet.MAX_LINE_CHARS) {
        throw error(lineNo, "line is longer than " + LabelledSet.MAX_LINE_CHARS + " characters");
      }
      sb.append((char) c);
      c = in.read();
    }
    int last = sb.length() - 1;
    if (last >= 0 && sb.charAt(last) == '\r') {
      sb.setLength(last);
    }
    return sb.toString();
  }

  private Row parse(String line, int lineNo) {
    JsonNode node;
    try {
      node = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(
          file + ":" + lineNo + ": malformed JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw error(lineNo, "expected a JSON object");
    }
    String imageRef = text(node, "image", lineNo, true);
    String question = text(node, "question", lineNo, true);
    String answer = text(node, "answer", lineNo, true).strip().toLowerCase(Locale.ROOT);
    boolean gold;
    if (answer.equals("yes")) {
      gold = true;
    } else if (answer.equals("no")) {
      gold = false;
    } else {
      throw error(lineNo, "answer must be \"yes\" or \"no\", got \"" + answer + "\"");
    }
    if (question.isBlank()) {
      throw error(lineNo, "question is blank");
    }
    String id = text(node, "id", lineNo, false);
    if (id == null) {
      id = file.getFileName() + ":" + lineNo;
    } else if (id.isBlank()) {
      throw error(lineNo, "id is blank");
    }
    String negates = text(node, "negates", lineNo, false);
    Image image = image(imageRef, lineNo);
    return new Row(lineNo, new LabelledQuestion(id, imageRef, image, question, gold), negates);
  }

  private String text(JsonNode node, String field, int lineNo, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw error(lineNo, "missing field \"" + field + "\"");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw error(lineNo, "field \"" + field + "\" must be a string");
    }
    return v.textValue();
  }

  private Image image(String ref, int lineNo) {
    if (ref.isBlank()) {
      throw error(lineNo, "image path is blank");
    }
    Path rel;
    try {
      rel = root.getFileSystem().getPath(ref);
    } catch (InvalidPathException e) {
      throw error(lineNo, "image path \"" + ref + "\" is not a valid path");
    }
    if (rel.isAbsolute() || rel.getRoot() != null) {
      throw error(lineNo, "image path \"" + ref + "\" must be relative to the data set root " + root);
    }
    Path resolved = root.resolve(rel).normalize();
    if (!resolved.startsWith(root)) {
      throw error(lineNo, "image path \"" + ref + "\" escapes the data set root " + root);
    }
    Image cached = images.get(resolved);
    if (cached != null) {
      return cached;
    }
    if (!Files.isRegularFile(resolved)) {
      throw error(lineNo, "image \"" + ref + "\" not found (looked for " + resolved + ")");
    }
    Path real;
    try {
      real = resolved.toRealPath();
    } catch (IOException e) {
      throw error(lineNo, "image \"" + ref + "\" cannot be opened: " + e.getMessage());
    }
    // A symbolic link inside the root may still point outside it.
    if (!real.startsWith(root)) {
      throw error(lineNo, "image path \"" + ref + "\" links outside the data set root " + root);
    }
    Image image;
    try {
      image = Image.fromFile(real);
    } catch (InvalidInputException e) {
      throw new InvalidInputException(file + ":" + lineNo + ": " + e.getMessage(), e);
    }
    images.put(resolved, image);
    return image;
  }

  private LabelledSet link(List<Row> rows) {
    Map<String, Row> byId = new LinkedHashMap<>();
    for (Row r : rows) {
      Row previous = byId.putIfAbsent(r.item().id(), r);
      if (previous != null) {
        throw error(r.line(), "id \"" + r.item().id() + "\" is already used on line " + previous.line());
      }
    }
    List<NegationPair> pairs = new ArrayList<>();
    for (Row r : rows) {
      if (r.negates() == null) {
        continue;
      }
      Row other = byId.get(r.negates());
      if (other == null) {
        throw error(r.line(), "negates \"" + r.negates() + "\", which is no item's id");
      }
      if (other == r) {
        throw error(r.line(), "an item cannot negate itself");
      }
      try {
        pairs.add(new NegationPair(other.item(), r.item()));
      } catch (InvalidInputException e) {
        throw error(r.line(), e.getMessage());
      }
    }
    return new LabelledSet(rows.stream().map(Row::item).toList(), pairs);
  }

  private InvalidInputException error(int lineNo, String what) {
    return new InvalidInputException(file + ":" + lineNo + ": " + what);
  }
}
