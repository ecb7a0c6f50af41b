package org.rlaifv.core.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The caption and question grammar of the hard world: counts, sized objects and relations, one
 * fact per sentence.
 *
 * <ul>
 *   <li>Count: {@code "there are three objects."} ({@code "there is one object."}).
 *   <li>Object: {@code "there is a small red circle on the top left."}
 *   <li>Relation: {@code "the red circle is left of the blue square."}
 *   <li>Clean caption: the count, the objects in reading order, then (with two or more objects) one
 *       relation between two of them.
 *   <li>Polar questions: the sentences turned round as {@link
 *       org.rlaifv.core.text.RuleBasedPolarQuestioner} turns them: {@code "are there three
 *       objects?"}, {@code "is there a small red circle on the top left?"}, {@code "is the red
 *       circle left of the blue square?"}.
 * </ul>
 *
 * <p>{@link #parse(String)} reads any of these forms (and junk around them) back into {@link
 * HardFact}s. Stateless and thread-safe.
 */
public final class HardGrammar {

  /** Number words, index = value. */
  public static final List<String> NUMBERS = List.of("zero", "one", "two", "three", "four", "five");

  private static final Pattern BOUNDARY = Pattern.compile("[.!?;\\n\\r]+");

  private HardGrammar() {}

  /**
   * Returns the sentence stating the number of objects.
   *
   * @param n the number, 0 to 5
   * @return e.g. {@code "there are three objects."}
   */
  public static String countSentence(int n) {
    return n == 1 ? "there is one object." : "there are " + NUMBERS.get(n) + " objects.";
  }

  /**
   * Returns the question asking whether the image holds a number of objects.
   *
   * @param n the number, 0 to 5
   * @return e.g. {@code "are there three objects?"}
   */
  public static String countQuestion(int n) {
    return n == 1 ? "is there one object?" : "are there " + NUMBERS.get(n) + " objects?";
  }

  /**
   * Returns the sentence stating a sized object in a cell.
   *
   * @param size the size class
   * @param colour the colour
   * @param shape the shape
   * @param cell the cell
   * @return e.g. {@code "there is a small red circle on the top left."}
   */
  public static String objectSentence(SizeClass size, Colour colour, Shape shape, Cell cell) {
    return "there is a " + size.word() + " " + colour.word() + " " + shape.word() + " on the "
        + cell.phrase() + ".";
  }

  /**
   * Returns the question asking whether a cell holds a sized object.
   *
   * @param size the size class
   * @param colour the colour
   * @param shape the shape
   * @param cell the cell
   * @return e.g. {@code "is there a small red circle on the top left?"}
   */
  public static String objectQuestion(SizeClass size, Colour colour, Shape shape, Cell cell) {
    return "is there a " + size.word() + " " + colour.word() + " " + shape.word() + " on the "
        + cell.phrase() + "?";
  }

  /**
   * Returns the sentence stating a relation between two objects, named by colour and shape.
   *
   * @param subject the first object
   * @param relation the relation
   * @param object the second object
   * @return e.g. {@code "the red circle is left of the blue square."}
   */
  public static String relationSentence(SceneObject subject, Relation relation,
      SceneObject object) {
    return "the " + subject.name() + " is " + relation.phrase() + " the " + object.name() + ".";
  }

  /**
   * Returns the question asking whether a relation holds between two objects.
   *
   * @param subject the first object
   * @param relation the relation
   * @param object the second object
   * @return e.g. {@code "is the red circle left of the blue square?"}
   */
  public static String relationQuestion(SceneObject subject, Relation relation,
      SceneObject object) {
    return "is the " + subject.name() + " " + relation.phrase() + " the " + object.name() + "?";
  }

  /**
   * Returns the clean caption of a scene: the count, the objects in reading order and, with two or
   * more objects, the relation between the first two, the second as subject when the scene's seed
   * is odd.
   *
   * @param scene the scene
   * @return the caption
   */
  public static String caption(Scene scene) {
    return caption(scene, (scene.seed() & 1) == 1);
  }

  /**
   * Returns the clean caption of a scene with a chosen order of the related objects.
   *
   * @param scene the scene
   * @param swap whether the second object in reading order is the relation's subject
   * @return the caption
   */
  public static String caption(Scene scene, boolean swap) {
    List<String> parts = new ArrayList<>();
    parts.add(countSentence(scene.objects().size()));
    for (SceneObject o : scene.objects()) {
      parts.add(objectSentence(SizeClass.of(o), o.colour(), o.shape(), o.cell()));
    }
    if (scene.objects().size() >= 2) {
      SceneObject a = scene.objects().get(swap ? 1 : 0);
      SceneObject b = scene.objects().get(swap ? 0 : 1);
      parts.add(relationSentence(a, Relation.between(a.cell(), b.cell()).orElseThrow(), b));
    }
    return String.join(" ", parts);
  }

  /**
   * Returns every word captions, questions and judge prompts of the hard world can contain.
   *
   * @return the tokens of {@link CaptionGrammar#tokens(String)}, sorted, without duplicates
   */
  public static List<String> vocabulary() {
    TreeSet<String> v = new TreeSet<>();
    for (String p : CaptionGrammar.PROMPTS) {
      v.addAll(CaptionGrammar.tokens(p));
    }
    for (int n = 0; n < NUMBERS.size(); n++) {
      v.addAll(CaptionGrammar.tokens(countSentence(n)));
      v.addAll(CaptionGrammar.tokens(CaptionGrammar.judgePrompt(countQuestion(n))));
    }
    for (Colour c : Colour.values()) {
      for (Shape s : Shape.values()) {
        v.addAll(CaptionGrammar.tokens(
            CaptionGrammar.judgePrompt(objectQuestion(SizeClass.SMALL, c, s, Cell.TOP_LEFT))));
        v.addAll(CaptionGrammar.tokens(objectSentence(SizeClass.SMALL, c, s, Cell.TOP_LEFT)));
      }
    }
    for (SizeClass z : SizeClass.values()) {
      v.add(z.word());
    }
    for (Cell c : Cell.values()) {
      v.addAll(CaptionGrammar.tokens(c.phrase()));
    }
    SceneObject o = SceneObject.of(Shape.CIRCLE, Colour.RED, Cell.TOP_LEFT);
    for (Relation r : Relation.values()) {
      v.addAll(CaptionGrammar.tokens(relationSentence(o, r, o)));
      v.addAll(CaptionGrammar.tokens(relationQuestion(o, r, o)));
    }
    v.addAll(List.of(CaptionGrammar.YES, CaptionGrammar.NO, "Yes", "No", "please", "Please"));
    return List.copyOf(v);
  }

  /**
   * Parses the facts of a text, sentence by sentence, tolerant of junk.
   *
   * <p>A sentence with a number word and "object(s)" is a count. A sentence with a relation phrase
   * ("left of", "right of", "above", "below") between two shape words is a relation. Otherwise
   * each shape word is an object statement, with the colour right before it and the size word
   * before that (or right before the shape), and its place the first cell phrase after it before
   * the next shape word. Unknown words are skipped; a sentence naming no shape and no count gives
   * nothing.
   *
   * @param text a response, a caption or a polar question (the judge suffix is ignored)
   * @return the facts, in order
   */
  public static List<HardFact> parse(String text) {
    List<HardFact> out = new ArrayList<>();
    for (String sentence : BOUNDARY.split(text.toLowerCase(Locale.ROOT))) {
      parseSentence(MentionParser.words(sentence), out);
    }
    return List.copyOf(out);
  }

  private static void parseSentence(List<String> w, List<HardFact> out) {
    List<Integer> shapeAt = new ArrayList<>();
    for (int i = 0; i < w.size(); i++) {
      if (Shape.fromWord(w.get(i)).isPresent()) {
        shapeAt.add(i);
      }
    }
    if (shapeAt.isEmpty()) {
      int count = -1;
      boolean objects = false;
      for (String x : w) {
        int n = NUMBERS.indexOf(x);
        if (n >= 0 && count < 0) {
          count = n;
        }
        objects |= x.equals("object") || x.equals("objects");
      }
      if (objects && count >= 0) {
        out.add(new HardFact.CountFact(count));
      }
      return;
    }
    if (shapeAt.size() == 2) {
      Optional<Relation> rel = relationBetween(w, shapeAt.get(0) + 1, shapeAt.get(1));
      if (rel.isPresent()) {
        out.add(new HardFact.RelationFact(ref(w, shapeAt.get(0)), rel.get(),
            ref(w, shapeAt.get(1))));
        return;
      }
    }
    for (int k = 0; k < shapeAt.size(); k++) {
      int i = shapeAt.get(k);
      int next = k + 1 < shapeAt.size() ? shapeAt.get(k + 1) : w.size();
      Optional<Colour> colour = i > 0 ? Colour.fromWord(w.get(i - 1)) : Optional.empty();
      int sizeAt = colour.isPresent() ? i - 2 : i - 1;
      Optional<SizeClass> size =
          sizeAt >= 0 ? SizeClass.fromWord(w.get(sizeAt)) : Optional.empty();
      out.add(new HardFact.ObjectFact(size, colour, Shape.fromWord(w.get(i)).orElseThrow(),
          firstCell(w, i + 1, next)));
    }
  }

  private static HardFact.Ref ref(List<String> w, int shapeIndex) {
    Optional<Colour> colour =
        shapeIndex > 0 ? Colour.fromWord(w.get(shapeIndex - 1)) : Optional.empty();
    return new HardFact.Ref(colour, Shape.fromWord(w.get(shapeIndex)).orElseThrow());
  }

  private static Optional<Relation> relationBetween(List<String> w, int from, int to) {
    for (int i = from; i < to; i++) {
      String x = w.get(i);
      boolean of = i + 1 < to && w.get(i + 1).equals("of");
      if (x.equals("left") && of) {
        return Optional.of(Relation.LEFT_OF);
      }
      if (x.equals("right") && of) {
        return Optional.of(Relation.RIGHT_OF);
      }
      if (x.equals("above")) {
        return Optional.of(Relation.ABOVE);
      }
      if (x.equals("below")) {
        return Optional.of(Relation.BELOW);
      }
    }
    return Optional.empty();
  }

  private static Optional<Cell> firstCell(List<String> w, int from, int to) {
    for (int i = from; i + 1 < to; i++) {
      String a = w.get(i);
      String b = w.get(i + 1);
      int row = a.equals("top") || a.equals("upper") ? 0
          : a.equals("bottom") || a.equals("lower") ? 1 : -1;
      int col = b.equals("left") ? 0 : b.equals("right") ? 1 : -1;
      if (row >= 0 && col >= 0) {
        return Optional.of(Cell.at(row, col));
      }
    }
    return Optional.empty();
  }
}
