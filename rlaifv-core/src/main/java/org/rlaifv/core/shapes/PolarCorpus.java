package org.rlaifv.core.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Seeds;

/**
 * The labeler's corpus: polar questions about scenes with their true answers, balanced between yes
 * and no, plus clean captions to mix in.
 *
 * <p>Questions are phrased exactly as a rule-based questioner turns caption sentences round
 * ({@code "there is a red circle on the top left."} becomes {@code "is there a red circle on the
 * top left?"}); half of the true and half of the false ones name a place. Even indices ask a true question ({@link
 * QuestionKind#PRESENT} or {@link QuestionKind#PRESENT_AT}); odd indices a false one, its kind
 * drawn uniformly from {@link QuestionKind#ABSENT} and the four hard negatives. The {@linkplain
 * #hardExample(Split, long, long) hard set} asks only placed questions, true ones and hard negatives
 * in equal numbers, the kinds in rotation: the labeler accuracy DESIGN.md reports.
 *
 * <p>A labeler learns grounding from captions, not from one bit per question, so {@link
 * #labelerExample(Split, long, long, double)} mixes clean captions with the questions.
 *
 * <p>Deterministic and thread-safe.
 */
public final class PolarCorpus {

  private static final long SALT = 0x901A_12C0L;
  private static final long MIX_SALT = 0x1ABE_1E25L;
  private static final int MAX_ATTEMPTS = 1_000;
  private static final List<QuestionKind> NEGATIVES =
      List.of(
          QuestionKind.ABSENT,
          QuestionKind.WRONG_COLOUR,
          QuestionKind.WRONG_SHAPE,
          QuestionKind.PARTNER,
          QuestionKind.WRONG_PLACE);
  private static final List<QuestionKind> HARD =
      List.of(
          QuestionKind.WRONG_COLOUR,
          QuestionKind.WRONG_SHAPE,
          QuestionKind.PARTNER,
          QuestionKind.WRONG_PLACE);

  private final SceneGenerator generator;
  private final SceneRenderer renderer;
  private final Map<Shape, Shape> partners;

  /**
   * Creates the corpus.
   *
   * @param generator scene generator; its shapes and colours are the ones questions name
   * @param renderer scene renderer
   * @param partners the co-occurrence map of the caption corpus (trigger shape to partner shape)
   */
  public PolarCorpus(
      SceneGenerator generator, SceneRenderer renderer, Map<Shape, Shape> partners) {
    this.generator = Objects.requireNonNull(generator, "generator");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
    this.partners = Map.copyOf(partners);
  }

  /**
   * Returns question {@code index} of a split's balanced stream (yes at even, no at odd indices).
   *
   * @param split the split
   * @param seed the base seed
   * @param index position in the stream, from 0
   * @return the example
   */
  public PolarExample example(Split split, long seed, long index) {
    Random pick = new Random(Seeds.mix(seed, SALT, split.ordinal(), index, -1));
    QuestionKind kind =
        index % 2 == 0
            ? (pick.nextBoolean() ? QuestionKind.PRESENT : QuestionKind.PRESENT_AT)
            : NEGATIVES.get(pick.nextInt(NEGATIVES.size()));
    // Half of the true and half of the false questions name a place, so the form tells nothing
    // about the answer: wrong-place questions always do, absent ones never, the rest half the time.
    boolean placed =
        kind == QuestionKind.PRESENT_AT
            || kind == QuestionKind.WRONG_PLACE
            || (!kind.answer() && kind != QuestionKind.ABSENT && pick.nextBoolean());
    return make(split, seed, index, kind, placed);
  }

  /**
   * Returns the first {@code count} questions of a split's balanced stream.
   *
   * @param split the split
   * @param seed the base seed
   * @param count how many
   * @return examples {@code 0..count-1}
   */
  public List<PolarExample> examples(Split split, long seed, int count) {
    List<PolarExample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(example(split, seed, i));
    }
    return List.copyOf(out);
  }

  /**
   * Returns question {@code index} of the hard set: placed questions only; even indices true
   * ({@link QuestionKind#PRESENT_AT}), odd indices the hard negatives in rotation (wrong colour,
   * wrong shape, partner, wrong place).
   *
   * @param split the split (use validation or test for a held-out measurement)
   * @param seed the base seed
   * @param index position, from 0
   * @return the example
   */
  public PolarExample hardExample(Split split, long seed, long index) {
    QuestionKind kind =
        index % 2 == 0 ? QuestionKind.PRESENT_AT : HARD.get((int) ((index / 2) % HARD.size()));
    return make(split, seed, index, kind, true);
  }

  /**
   * Returns the first {@code count} questions of the hard set; with {@code count} a multiple of 8,
   * yes and no and the four hard kinds are exactly balanced.
   *
   * @param split the split
   * @param seed the base seed
   * @param count how many
   * @return examples {@code 0..count-1} of {@link #hardExample(Split, long, long)}
   */
  public List<PolarExample> hardSet(Split split, long seed, int count) {
    List<PolarExample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(hardExample(split, seed, i));
    }
    return List.copyOf(out);
  }

  /**
   * Returns example {@code index} of the labeler's training mix: with probability {@code
   * captionShare} a clean caption (a prompt from {@link CaptionGrammar#PROMPTS}, the clean caption
   * as target), else question {@code index} of the balanced stream as judge prompt and yes/no
   * target.
   *
   * @param split the split
   * @param seed the base seed
   * @param index position, from 0
   * @param captionShare share of captions, in [0, 1]
   * @return the training example
   */
  public TrainingExample labelerExample(Split split, long seed, long index, double captionShare) {
    if (!(captionShare >= 0 && captionShare <= 1)) {
      throw new InvalidInputException("caption share must be in [0, 1], got " + captionShare);
    }
    Random r = new Random(Seeds.mix(seed, MIX_SALT, split.ordinal(), index));
    if (r.nextDouble() < captionShare) {
      Scene scene = generator.scene(split, Seeds.mix(seed, MIX_SALT), index);
      String prompt = CaptionGrammar.PROMPTS.get(r.nextInt(CaptionGrammar.PROMPTS.size()));
      return new TrainingExample(
          scene, renderer.render(scene), prompt, CaptionGrammar.caption(scene), 0);
    }
    return example(split, seed, index).toTrainingExample();
  }

  /**
   * Returns the first {@code count} examples of the labeler's training mix.
   *
   * @param split the split
   * @param seed the base seed
   * @param count how many
   * @param captionShare share of captions, in [0, 1]
   * @return examples {@code 0..count-1} of {@link #labelerExample(Split, long, long, double)}
   */
  public List<TrainingExample> labelerExamples(
      Split split, long seed, int count, double captionShare) {
    List<TrainingExample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(labelerExample(split, seed, i, captionShare));
    }
    return List.copyOf(out);
  }

  /** Draws scenes until one admits a question of the kind; the result depends only on the args. */
  private PolarExample make(Split split, long seed, long index, QuestionKind kind, boolean placed) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      long sceneSeed = attempt == 0 ? seed : Seeds.mix(seed, SALT, attempt);
      Scene scene = generator.scene(split, sceneSeed, index);
      Random r = new Random(Seeds.mix(seed, SALT, split.ordinal(), index, attempt));
      Optional<String> q = question(scene, kind, placed, r);
      if (q.isPresent()) {
        return new PolarExample(scene, renderer.render(scene), q.get(), kind);
      }
    }
    throw new IllegalStateException(
        "no scene of split "
            + split.id()
            + " admits a "
            + kind
            + " question in "
            + MAX_ATTEMPTS
            + " attempts; the generator allows too few shapes or colours");
  }

  /**
   * Writes a question of the given kind about a scene.
   *
   * @param scene the scene
   * @param kind what the question tests
   * @param placed whether the question names a cell (always for {@link QuestionKind#PRESENT_AT}
   *     and {@link QuestionKind#WRONG_PLACE}; never for {@link QuestionKind#PRESENT})
   * @param r source of the random choices
   * @return the question, or empty when the scene admits none of that kind
   */
  Optional<String> question(Scene scene, QuestionKind kind, boolean placed, Random r) {
    List<SceneObject> objects = scene.objects();
    if (objects.isEmpty() && kind != QuestionKind.ABSENT) {
      return Optional.empty();
    }
    SceneObject o = objects.isEmpty() ? null : objects.get(r.nextInt(objects.size()));
    switch (kind) {
      case PRESENT:
        return Optional.of(CaptionGrammar.question(o.colour(), o.shape()));
      case PRESENT_AT:
        return Optional.of(CaptionGrammar.question(o.colour(), o.shape(), o.cell()));
      case ABSENT:
        {
          List<Colour> cs = new ArrayList<>();
          List<Shape> ss = new ArrayList<>();
          for (Colour c : generator.colours()) {
            for (Shape s : generator.shapes()) {
              if (!scene.contains(c, s)) {
                cs.add(c);
                ss.add(s);
              }
            }
          }
          if (cs.isEmpty()) {
            return Optional.empty();
          }
          int k = r.nextInt(cs.size());
          return Optional.of(ask(cs.get(k), ss.get(k), placed, randomCell(r)));
        }
      case WRONG_COLOUR:
        {
          List<Colour> cs = new ArrayList<>();
          for (Colour c : generator.colours()) {
            if (c != o.colour() && (placed || !scene.contains(c, o.shape()))) {
              cs.add(c);
            }
          }
          return cs.isEmpty()
              ? Optional.empty()
              : Optional.of(ask(cs.get(r.nextInt(cs.size())), o.shape(), placed, o.cell()));
        }
      case WRONG_SHAPE:
        {
          List<Shape> ss = new ArrayList<>();
          for (Shape s : generator.shapes()) {
            if (s != o.shape() && (placed || !scene.contains(o.colour(), s))) {
              ss.add(s);
            }
          }
          return ss.isEmpty()
              ? Optional.empty()
              : Optional.of(ask(o.colour(), ss.get(r.nextInt(ss.size())), placed, o.cell()));
        }
      case PARTNER:
        {
          List<SceneObject> triggers = new ArrayList<>();
          for (SceneObject t : objects) {
            Shape p = partners.get(t.shape());
            if (p != null && !scene.contains(t.colour(), p)) {
              triggers.add(t);
            }
          }
          if (triggers.isEmpty()) {
            return Optional.empty();
          }
          SceneObject t = triggers.get(r.nextInt(triggers.size()));
          List<Cell> empty = scene.emptyCells();
          Cell cell = empty.isEmpty() ? t.cell() : empty.get(r.nextInt(empty.size()));
          return Optional.of(ask(t.colour(), partners.get(t.shape()), placed, cell));
        }
      case WRONG_PLACE:
        {
          List<Cell> cells = new ArrayList<>();
          for (Cell c : Cell.values()) {
            if (!scene.contains(o.colour(), o.shape(), c)) {
              cells.add(c);
            }
          }
          return cells.isEmpty()
              ? Optional.empty()
              : Optional.of(
                  CaptionGrammar.question(o.colour(), o.shape(), cells.get(r.nextInt(cells.size()))));
        }
      default:
        throw new IllegalArgumentException("unknown question kind " + kind);
    }
  }

  private static String ask(Colour c, Shape s, boolean placed, Cell cell) {
    return placed ? CaptionGrammar.question(c, s, cell) : CaptionGrammar.question(c, s);
  }

  private static Cell randomCell(Random r) {
    return Cell.values()[r.nextInt(Cell.values().length)];
  }
}
