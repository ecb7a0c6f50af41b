package org.rlaifv.core.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The caption and question grammar of ShapesWorld: one fact per sentence.
 *
 * <ul>
 *   <li>Sentence: {@code "there is a red circle on the top left."}
 *   <li>Caption: the sentences of the scene's objects in reading order, separated by one space.
 *   <li>Polar question: the sentence turned round, {@code "is there a red circle on the top
 *       left?"}, or without place, {@code "is there a red circle?"}.
 *   <li>Judge prompt: {@code "{question} Please answer yes or no."}; answers {@code "yes"} or
 *       {@code "no"}.
 * </ul>
 *
 * <p>Text is tokenised by {@link #tokens(String)}: whitespace-separated words, with {@code "."} and
 * {@code "?"} as tokens of their own.
 */
public final class CaptionGrammar {

  /** The canonical prompt. */
  public static final String DEFAULT_PROMPT = "describe the image.";

  /** The canonical prompt and its paraphrases, all lower case. */
  public static final List<String> PROMPTS =
      List.of(
          DEFAULT_PROMPT,
          "describe this image.",
          "what is in the image?",
          "what do you see in the image?",
          "list the objects in the image.");

  /** Appended to a question when the labeler is asked it, as the reference does. */
  public static final String JUDGE_SUFFIX = " Please answer yes or no.";

  /** The labeler's target answer for a true statement. */
  public static final String YES = "yes";

  /** The labeler's target answer for a false statement. */
  public static final String NO = "no";

  private static final Pattern SENTENCE =
      Pattern.compile("^there is (a .+?)\\s*\\.?$", Pattern.CASE_INSENSITIVE);
  private static final Pattern TOKEN = Pattern.compile("[^\\s.?]+|[.?]");

  private CaptionGrammar() {}

  /**
   * Returns the sentence stating that an object is in a cell.
   *
   * @param colour the colour
   * @param shape the shape
   * @param cell the cell
   * @return e.g. {@code "there is a red circle on the top left."}
   */
  public static String sentence(Colour colour, Shape shape, Cell cell) {
    return "there is a " + colour.word() + " " + shape.word() + " on the " + cell.phrase() + ".";
  }

  /**
   * Returns the sentence stating an object of a scene.
   *
   * @param object the object
   * @return e.g. {@code "there is a red circle on the top left."}
   */
  public static String sentence(SceneObject object) {
    return sentence(object.colour(), object.shape(), object.cell());
  }

  /**
   * Returns the clean caption of a scene: one sentence per object, in reading order.
   *
   * @param scene the scene
   * @return the caption; empty for an empty scene
   */
  public static String caption(Scene scene) {
    List<String> parts = new ArrayList<>();
    for (SceneObject o : scene.objects()) {
      parts.add(sentence(o));
    }
    return String.join(" ", parts);
  }

  /**
   * Returns the polar question asking whether a cell holds an object.
   *
   * @param colour the colour
   * @param shape the shape
   * @param cell the cell
   * @return e.g. {@code "is there a red circle on the top left?"}
   */
  public static String question(Colour colour, Shape shape, Cell cell) {
    return "is there a " + colour.word() + " " + shape.word() + " on the " + cell.phrase() + "?";
  }

  /**
   * Returns the polar question asking whether an object is anywhere in the image.
   *
   * @param colour the colour
   * @param shape the shape
   * @return e.g. {@code "is there a red circle?"}
   */
  public static String question(Colour colour, Shape shape) {
    return "is there a " + colour.word() + " " + shape.word() + "?";
  }

  /**
   * Turns a caption sentence into its polar question as a rule-based questioner does: {@code
   * "there is X."} becomes {@code "is there X?"}.
   *
   * @param sentence a sentence of the form {@code "there is a ..."}
   * @return the question, or empty when the sentence does not have that form
   */
  public static Optional<String> questionOf(String sentence) {
    Matcher m = SENTENCE.matcher(sentence.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of("is there " + m.group(1).toLowerCase(Locale.ROOT) + "?");
  }

  /**
   * Returns the text the labeler sees for a question.
   *
   * @param question the polar question
   * @return {@code question + " Please answer yes or no."}
   */
  public static String judgePrompt(String question) {
    return question.strip() + JUDGE_SUFFIX;
  }

  /**
   * Removes the {@link #JUDGE_SUFFIX} from a judge prompt, if present.
   *
   * @param text a question, possibly with the suffix
   * @return the question alone
   */
  public static String stripJudgeSuffix(String text) {
    String t = text.strip();
    String suffix = JUDGE_SUFFIX.strip();
    if (t.regionMatches(true, Math.max(0, t.length() - suffix.length()), suffix, 0, suffix.length())
        && t.length() >= suffix.length()) {
      return t.substring(0, t.length() - suffix.length()).strip();
    }
    return t;
  }

  /**
   * Splits a caption into its sentences.
   *
   * @param caption the caption
   * @return the sentences, each ending with its {@code "."} or {@code "?"}
   */
  public static List<String> sentences(String caption) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < caption.length(); i++) {
      char ch = caption.charAt(i);
      cur.append(ch);
      if (ch == '.' || ch == '?' || ch == '!') {
        String s = cur.toString().strip();
        if (!s.isEmpty()) {
          out.add(s);
        }
        cur.setLength(0);
      }
    }
    String rest = cur.toString().strip();
    if (!rest.isEmpty()) {
      out.add(rest);
    }
    return List.copyOf(out);
  }

  /**
   * Splits text into the tokens of the ShapesWorld vocabulary: words (case kept) and the
   * punctuation marks {@code "."} and {@code "?"}.
   *
   * @param text the text
   * @return the tokens, in order
   */
  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return List.copyOf(out);
  }
}
