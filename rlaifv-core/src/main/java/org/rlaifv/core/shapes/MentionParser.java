package org.rlaifv.core.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses object mentions out of free text, tolerant of junk.
 *
 * <p>The text is cut into sentences at {@code . ! ? ; ,} and line breaks, then into lower-case
 * words. A mention is a shape word (singular or plural), with the colour word right before it when
 * there is one. Its place is the first cell phrase ({@code top|upper} or {@code bottom|lower},
 * followed by {@code left|right}) between the mention and the next mention of the sentence, or else
 * the last one between the previous mention and it. A mention is negated when "no", "not", "isn't",
 * "aren't", "never" or "without" occurs earlier in its sentence, after the previous mention.
 * Unknown words are skipped.
 *
 * <p>Stateless and thread-safe.
 */
public final class MentionParser {

  private static final Pattern WORD = Pattern.compile("[a-z]+(?:'[a-z]+)?");
  private static final Pattern BOUNDARY = Pattern.compile("[.!?;,\\n\\r]+");
  private static final Set<String> NEGATIONS =
      Set.of("no", "not", "isn't", "aren't", "never", "without", "nothing");

  private MentionParser() {}

  /**
   * Parses every mention in a text, in order.
   *
   * @param text free text, e.g. a model response or a polar question
   * @return the mentions; empty when the text names no shape
   */
  public static List<Mention> parse(String text) {
    List<Mention> out = new ArrayList<>();
    for (String sentence : BOUNDARY.split(text.toLowerCase(Locale.ROOT))) {
      parseSentence(words(sentence), out);
    }
    return List.copyOf(out);
  }

  /** The lower-case words of a sentence, in order (also the hard world's {@link HardGrammar}). */
  static List<String> words(String sentence) {
    List<String> w = new ArrayList<>();
    Matcher m = WORD.matcher(sentence);
    while (m.find()) {
      w.add(m.group());
    }
    return w;
  }

  private static void parseSentence(List<String> w, List<Mention> out) {
    // Positions of shape words, with the colour right before them when there is one.
    List<int[]> spans = new ArrayList<>(); // {start, shapeIndex}
    List<Shape> shapes = new ArrayList<>();
    List<Optional<Colour>> colours = new ArrayList<>();
    for (int i = 0; i < w.size(); i++) {
      Optional<Shape> s = Shape.fromWord(w.get(i));
      if (s.isEmpty()) {
        continue;
      }
      Optional<Colour> c = i > 0 ? Colour.fromWord(w.get(i - 1)) : Optional.empty();
      spans.add(new int[] {c.isPresent() ? i - 1 : i, i});
      shapes.add(s.get());
      colours.add(c);
    }
    for (int k = 0; k < spans.size(); k++) {
      int prevEnd = k == 0 ? 0 : spans.get(k - 1)[1] + 1;
      int start = spans.get(k)[0];
      int end = spans.get(k)[1] + 1;
      int nextStart = k + 1 < spans.size() ? spans.get(k + 1)[0] : w.size();
      Optional<Cell> cell = firstCell(w, end, nextStart);
      if (cell.isEmpty()) {
        cell = lastCell(w, prevEnd, start);
      }
      boolean negated = false;
      for (int i = prevEnd; i < start; i++) {
        if (NEGATIONS.contains(w.get(i))) {
          negated = true;
        }
      }
      out.add(new Mention(colours.get(k), shapes.get(k), cell, negated));
    }
  }

  private static Optional<Cell> cellAt(List<String> w, int i) {
    if (i + 1 >= w.size()) {
      return Optional.empty();
    }
    String a = w.get(i);
    String b = w.get(i + 1);
    int row = a.equals("top") || a.equals("upper") ? 0 : a.equals("bottom") || a.equals("lower") ? 1 : -1;
    int col = b.equals("left") ? 0 : b.equals("right") ? 1 : -1;
    return row < 0 || col < 0 ? Optional.empty() : Optional.of(Cell.at(row, col));
  }

  private static Optional<Cell> firstCell(List<String> w, int from, int to) {
    for (int i = from; i + 1 < to; i++) {
      Optional<Cell> c = cellAt(w, i);
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }

  private static Optional<Cell> lastCell(List<String> w, int from, int to) {
    for (int i = to - 2; i >= from; i--) {
      Optional<Cell> c = cellAt(w, i);
      if (c.isPresent()) {
        return c;
      }
    }
    return Optional.empty();
  }
}
