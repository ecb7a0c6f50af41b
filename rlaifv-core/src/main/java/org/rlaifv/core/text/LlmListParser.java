package org.rlaifv.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the list an LLM was asked to write under a header ({@code ### Facts:} then {@code - fact}
 * lines), tolerating what models actually produce.
 *
 * <p>Accepted: a preamble before the header; the header in any case, with or without {@code #},
 * bold markers or the colon; no header at all (then only bulleted or numbered lines count); items
 * marked {@code -}, {@code *}, {@code •}, {@code +}, {@code 1.}, {@code 2)}, {@code (3)}, or not
 * marked at all right under the header (a plain list, which ends at a blank line); blank lines
 * between marked items; markdown bold, italics and backticks around an item; surrounding quotes.
 * A marked list ends at the first unmarked line after it (the next section, or trailing remarks
 * such as "I hope this helps!"). When the header occurs more than once (a generator that echoes
 * its prompt), the last header with items under it wins. Template placeholders ({@code {fact
 * 1}}, {@code ...}) and "none" are skipped.
 *
 * <p>An output that yields no item is counted ({@link #emptyOutputs()}) and logged at debug; the
 * parser never throws on model output. Thread-safe.
 *
 * <pre>{@code
 * LlmListParser parser = new LlmListParser("Facts");
 * List<String> facts = parser.parse("Sure!\n### Facts:\n1. **There is a cat.**\n2. There is a dog.");
 * // [There is a cat., There is a dog.]
 * }</pre>
 */
public final class LlmListParser {
  private static final Logger LOG = LoggerFactory.getLogger(LlmListParser.class);

  private static final Pattern MARKER = Pattern.compile(
      "^\\s*(?:[-*\u2022+\u00b7\u2013\u2014]+(?=\\s|\\*\\*|__)|\\(?\\d{1,3}[.):](?=\\s|\\*\\*|__)"
          + "|\\(\\d{1,3}\\))\\s*");
  private static final Pattern HEADER_LIKE =
      Pattern.compile("^\\s*(?:#{1,6}\\s*.*|\\*\\*[^*]+:?\\*\\*:?\\s*|[A-Za-z][A-Za-z ]{0,40}:)$");

  private final String header;
  private final LongAdder outputs = new LongAdder();
  private final LongAdder empty = new LongAdder();
  private final LongAdder items = new LongAdder();

  /**
   * Creates a parser for lists under one header.
   *
   * @param header the header's words, e.g. "Facts" or "Modified sentences" (case, {@code #} and
   *     the colon do not matter)
   */
  public LlmListParser(String header) {
    Objects.requireNonNull(header, "header");
    this.header = normalizeHeader(header);
    if (this.header.isEmpty()) {
      throw new IllegalArgumentException("header must contain words, got '" + header + "'");
    }
  }

  /**
   * Parses one model output.
   *
   * @param output the generated text (null is read as empty)
   * @return the items in order, each stripped of markers and markup; empty for junk
   */
  public List<String> parse(String output) {
    outputs.increment();
    List<String> result = output == null ? List.of() : parseLines(output);
    if (result.isEmpty()) {
      empty.increment();
      LOG.debug("no '{}' items in model output: '{}'", header, preview(output));
    }
    items.add(result.size());
    return result;
  }

  private List<String> parseLines(String output) {
    String[] lines = output.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    boolean sawHeader = false;
    List<String> last = List.of();
    for (int i = 0; i < lines.length; i++) {
      if (isOurHeader(lines[i])) {
        sawHeader = true;
        // The last header with items under it wins: a generator that echoes the prompt repeats
        // the format and the example before the answer.
        List<String> found = collect(lines, i + 1, true);
        if (!found.isEmpty()) {
          last = found;
        }
      }
    }
    return sawHeader ? last : collect(lines, 0, false);
  }

  /**
   * Collects items from {@code from} to the end of the list. Marked lines are items; under a
   * header, unmarked lines are items only when no marked line follows them (a plain list), and a
   * plain list ends at a blank line.
   */
  private List<String> collect(String[] lines, int from, boolean underHeader) {
    List<String> marked = new ArrayList<>();
    List<String> plain = new ArrayList<>();
    boolean plainEnded = false;
    for (int i = from; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        plainEnded = !plain.isEmpty();
        continue;
      }
      Matcher m = MARKER.matcher(line);
      if (m.find()) {
        addItem(marked, line.substring(m.end()));
        continue;
      }
      if (!marked.isEmpty()) {
        // Trailing remarks or the next section after the list.
        break;
      }
      if (isOurHeader(line) || HEADER_LIKE.matcher(line).matches()) {
        if (!plain.isEmpty()) {
          break;
        }
        continue;
      }
      if (underHeader && !plainEnded) {
        addItem(plain, line);
      }
    }
    return marked.isEmpty() ? plain : marked;
  }

  private static void addItem(List<String> out, String raw) {
    String t = raw.strip();
    t = t.replaceAll("\\*\\*|__|`", "");
    t = t.replaceAll("^\\*(.+)\\*$", "$1").replaceAll("^_(.+)_$", "$1");
    t = t.strip();
    if (t.length() >= 2 && (t.startsWith("\"") && t.endsWith("\"")
        || t.startsWith("\u201c") && t.endsWith("\u201d"))) {
      t = t.substring(1, t.length() - 1).strip();
    }
    if (t.isEmpty() || t.matches("[.\u2026\\s]+") || t.matches("\\{.*}")
        || t.matches("(?i)\\(?(none|n/?a|no facts?|nothing)\\)?\\.?")
        || !t.chars().anyMatch(Character::isLetterOrDigit)) {
      return;
    }
    out.add(t);
  }

  private boolean isOurHeader(String line) {
    String n = normalizeHeader(line);
    return n.equals(header) || (n.startsWith(header) && n.length() <= header.length() + 12
        && line.strip().matches("^[#*_\\s]*[A-Za-z].*:[*_\\s]*$"));
  }

  private static String normalizeHeader(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[#*_:`]", " ").replaceAll("\\s+", " ").strip();
  }

  private static String preview(String text) {
    if (text == null) {
      return "null";
    }
    String t = text.strip().replaceAll("\\s+", " ");
    return t.length() <= 120 ? t : t.substring(0, 117) + "...";
  }

  /**
   * Returns the number of outputs parsed so far.
   *
   * @return the count
   */
  public long outputs() {
    return outputs.sum();
  }

  /**
   * Returns the number of outputs that yielded no item (junk, refusals, empty text).
   *
   * @return the count
   */
  public long emptyOutputs() {
    return empty.sum();
  }

  /**
   * Returns the number of items returned so far.
   *
   * @return the count
   */
  public long items() {
    return items.sum();
  }
}
