package org.rlaifv.core.shapes;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Seeds;

/**
 * The hard world's corpora: flawed captions with four kinds of error, polar questions about every
 * kind of statement, and the training mixes of the multitask policy and of the labeler.
 *
 * <p>A flawed caption is the {@linkplain HardGrammar#caption(Scene, boolean) clean caption} with
 * these flaws, each applied with probability {@code p} where its trigger occurs, so that a policy
 * trained on the corpus makes every kind of error under greedy decoding:
 *
 * <ul>
 *   <li>{@link ErrorKind#COUNT}: two or three objects are counted one too many.
 *   <li>{@link ErrorKind#ATTRIBUTE}: purple objects are called blue; small triangles and small
 *       diamonds are called large.
 *   <li>{@link ErrorKind#OBJECT}: after a trigger object (its shape has a partner, and the partner
 *       in its colour is absent) the partner is stated on an empty cell, as in {@link
 *       CaptionCorpus}.
 *   <li>{@link ErrorKind#RELATION}: a horizontal relation is stated the wrong way round.
 * </ul>
 *
 * <p>Deterministic and thread-safe: example {@code i} of a stream depends only on its arguments.
 *
 * <pre>{@code
 * HardCorpus corpus = ShapesWorld.hard().hardCorpus();
 * TrainingExample caption = corpus.captionExample(Split.TRAIN, 7L, 0);
 * List<PolarExample> heldOut = corpus.hardSet(Split.TEST, 1L, 480);
 * }</pre>
 */
public final class HardCorpus {

  /** Default flaw probability of every kind. */
  public static final double DEFAULT_FLAW_PROBABILITY = 0.6;

  private static final long CAPTION_SALT = 0x4A2D_CA97L;
  private static final long QUESTION_SALT = 0x4A2D_9E57L;
  private static final long MIX_SALT = 0x4A2D_313CL;
  private static final int MAX_ATTEMPTS = 1000;

  private static final List<QuestionKind> OBJECT_NEGATIVES = List.of(QuestionKind.ABSENT,
      QuestionKind.PARTNER, QuestionKind.WRONG_COLOUR, QuestionKind.WRONG_SHAPE,
      QuestionKind.WRONG_SIZE, QuestionKind.WRONG_PLACE);
  private static final List<QuestionKind> HARD_TRUE = List.of(QuestionKind.PRESENT_AT,
      QuestionKind.PRESENT_AT, QuestionKind.PRESENT_AT, QuestionKind.PRESENT_AT,
      QuestionKind.COUNT, QuestionKind.RELATION);
  private static final List<QuestionKind> HARD_FALSE = List.of(QuestionKind.PARTNER,
      QuestionKind.WRONG_COLOUR, QuestionKind.WRONG_SIZE, QuestionKind.WRONG_PLACE,
      QuestionKind.WRONG_COUNT, QuestionKind.WRONG_RELATION);

  private static final long PAIR_SALT = 0x4A2F_9A12L;
  private static final List<QuestionKind> PAIR_TRUE = List.of(QuestionKind.PRESENT_AT,
      QuestionKind.PRESENT_AT, QuestionKind.PRESENT_AT, QuestionKind.RELATION, QuestionKind.COUNT);
  private static final List<QuestionKind> PAIR_FALSE = List.of(QuestionKind.WRONG_COLOUR,
      QuestionKind.WRONG_SIZE, QuestionKind.WRONG_PLACE, QuestionKind.WRONG_RELATION,
      QuestionKind.WRONG_COUNT);
  /** Share of each pair slot: colour, size, place, relation, count. */
  private static final double[] PAIR_WEIGHTS = {0.2, 0.2, 0.15, 0.35, 0.1};

  private final SceneGenerator generator;
  private final SceneRenderer renderer;
  private final double flawProbability;
  private final Map<Shape, Shape> partners;

  /**
   * Creates the corpora.
   *
   * @param generator scene generator (the hard world's draws two size classes)
   * @param renderer renderer
   * @param flawProbability probability of each flaw where its trigger occurs, in [0, 1]
   * @param partners co-occurrence map, trigger shape to partner shape
   * @throws InvalidInputException when the probability is out of range
   */
  public HardCorpus(SceneGenerator generator, SceneRenderer renderer, double flawProbability,
      Map<Shape, Shape> partners) {
    this.generator = Objects.requireNonNull(generator, "generator");
    this.renderer = Objects.requireNonNull(renderer, "renderer");
    if (!(flawProbability >= 0 && flawProbability <= 1)) {
      throw new InvalidInputException(
          "flaw probability must be in [0, 1], got " + flawProbability);
    }
    this.flawProbability = flawProbability;
    this.partners = partners.isEmpty() ? Map.of() : new EnumMap<>(partners);
  }

  /**
   * Returns the probability of each flaw where its trigger occurs.
   *
   * @return p in [0, 1]
   */
  public double flawProbability() {
    return flawProbability;
  }

  /**
   * Writes a flawed caption of a scene, drawing every decision from {@code random}.
   *
   * @param scene the scene
   * @param random source of the decisions
   * @return the caption and the number of flawed sentences
   */
  public CaptionCorpus.Flawed flawedCaption(Scene scene, Random random) {
    List<SceneObject> objects = scene.objects();
    int flawed = 0;
    List<String> parts = new ArrayList<>();
    int n = objects.size();
    int stated = n;
    if ((n == 2 || n == 3) && random.nextDouble() < flawProbability) {
      stated = n + 1;
      flawed++;
    }
    parts.add(HardGrammar.countSentence(stated));
    Set<String> inserted = new HashSet<>();
    List<Cell> empty = scene.emptyCells();
    for (SceneObject o : objects) {
      SizeClass size = SizeClass.of(o);
      Colour colour = o.colour();
      if (colour == Colour.PURPLE && random.nextDouble() < flawProbability) {
        colour = Colour.BLUE;
        flawed++;
      }
      if (size == SizeClass.SMALL && (o.shape() == Shape.TRIANGLE || o.shape() == Shape.DIAMOND)
          && random.nextDouble() < flawProbability) {
        size = SizeClass.LARGE;
        flawed++;
      }
      parts.add(HardGrammar.objectSentence(size, colour, o.shape(), o.cell()));
      Shape partner = partners.get(o.shape());
      if (partner == null || scene.contains(o.colour(), partner)) {
        continue;
      }
      String name = o.colour().word() + " " + partner.word();
      if (!inserted.contains(name) && random.nextDouble() < flawProbability) {
        Cell cell = empty.isEmpty() ? o.cell() : empty.get(random.nextInt(empty.size()));
        parts.add(HardGrammar.objectSentence(SizeClass.of(o), o.colour(), partner, cell));
        inserted.add(name);
        flawed++;
      }
    }
    if (n >= 2) {
      boolean swap = random.nextBoolean();
      SceneObject a = objects.get(swap ? 1 : 0);
      SceneObject b = objects.get(swap ? 0 : 1);
      Relation rel = Relation.between(a.cell(), b.cell()).orElseThrow();
      if (rel.horizontal() && random.nextDouble() < flawProbability) {
        rel = rel.flipped();
        flawed++;
      }
      parts.add(HardGrammar.relationSentence(a, rel, b));
    }
    return new CaptionCorpus.Flawed(String.join(" ", parts), flawed);
  }

  /**
   * Returns caption example {@code index} of a split's stream: the scene {@link
   * SceneGenerator#scene(Split, long, long)} gives, a prompt and a flawed caption.
   *
   * @param split the split
   * @param seed the base seed
   * @param index position, from 0
   * @return the example
   */
  public TrainingExample captionExample(Split split, long seed, long index) {
    Scene scene = generator.scene(split, seed, index);
    Random r = new Random(Seeds.mix(seed, CAPTION_SALT, split.ordinal(), index));
    String prompt = CaptionGrammar.PROMPTS.get(r.nextInt(CaptionGrammar.PROMPTS.size()));
    CaptionCorpus.Flawed f = flawedCaption(scene, r);
    return new TrainingExample(scene, renderer.render(scene), prompt, f.caption(), f.inserted());
  }

  /**
   * Returns question {@code index} of a split's balanced stream: half object statements, a quarter
   * counts, a quarter relations; yes at even and no at odd indices.
   *
   * @param split the split
   * @param seed the base seed
   * @param index position, from 0
   * @return the example
   */
  public PolarExample example(Split split, long seed, long index) {
    Random pick = new Random(Seeds.mix(seed, QUESTION_SALT, split.ordinal(), index, -1));
    double type = pick.nextDouble();
    boolean yes = index % 2 == 0;
    QuestionKind kind;
    if (type < 0.5) {
      kind = yes ? QuestionKind.PRESENT_AT
          : OBJECT_NEGATIVES.get(pick.nextInt(OBJECT_NEGATIVES.size()));
    } else if (type < 0.75) {
      kind = yes ? QuestionKind.COUNT : QuestionKind.WRONG_COUNT;
    } else {
      kind = yes ? QuestionKind.RELATION : QuestionKind.WRONG_RELATION;
    }
    return make(split, seed, index, kind);
  }

  /**
   * Returns question {@code index} of the hard held-out set, in rotation over twelve slots: true
   * object, count and relation statements, and the negatives partner, wrong colour, wrong size,
   * wrong place, wrong count and wrong relation (yes at even, no at odd indices).
   *
   * @param split the split (validation or test for held-out numbers)
   * @param seed the base seed
   * @param index position, from 0
   * @return the example
   */
  public PolarExample hardExample(Split split, long seed, long index) {
    int slot = (int) ((index / 2) % HARD_TRUE.size());
    QuestionKind kind = index % 2 == 0 ? HARD_TRUE.get(slot) : HARD_FALSE.get(slot);
    return make(split, Seeds.mix(seed, 0x4A2DL), index, kind);
  }

  /**
   * Returns question {@code index} of a given kind: a scene of the split's stream that admits such a
   * question, and the question, both depending only on the arguments.
   *
   * @param split the split
   * @param seed the base seed
   * @param index position, from 0
   * @param kind what the question tests (its answer is {@link QuestionKind#answer()})
   * @return the example
   */
  public PolarExample kindExample(Split split, long seed, long index, QuestionKind kind) {
    return make(split, Seeds.mix(seed, 0x4A2E_D1A7L), index, Objects.requireNonNull(kind, "kind"));
  }

  /**
   * Returns question {@code index} of the minimal-pair stream: questions {@code 2k} (yes) and
   * {@code 2k + 1} (no) ask about the same scene and, when the scene allows it, the same objects,
   * and differ in one detail: the colour, the size or the place of an object, the direction of a
   * relation, or the count. A model that answers by the shape and place alone cannot fit both
   * halves of a pair.
   *
   * @param split the split
   * @param seed the base seed
   * @param index position, from 0
   * @return the example
   */
  public PolarExample minimalPairExample(Split split, long seed, long index) {
    long pair = index / 2;
    Random pick = new Random(Seeds.mix(seed, PAIR_SALT, split.ordinal(), pair));
    double u = pick.nextDouble();
    int slot = 0;
    while (slot < PAIR_WEIGHTS.length - 1 && u >= PAIR_WEIGHTS[slot]) {
      u -= PAIR_WEIGHTS[slot];
      slot++;
    }
    QuestionKind kind = index % 2 == 0 ? PAIR_TRUE.get(slot) : PAIR_FALSE.get(slot);
    return make(split, Seeds.mix(seed, PAIR_SALT), pair, kind);
  }

  /**
   * Returns the first {@code count} questions of the hard set; with {@code count} a multiple of
   * 12, yes and no and the slots are exactly balanced.
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
   * Returns example {@code index} of the multitask policy's training mix: with probability {@code
   * questionShare} a question of the balanced stream (judge prompt, true yes/no answer), else a
   * flawed caption.
   *
   * @param split the split
   * @param seed the base seed
   * @param index position, from 0
   * @param questionShare share of questions, in [0, 1]
   * @return the training example
   */
  public TrainingExample policyExample(Split split, long seed, long index, double questionShare) {
    checkShare(questionShare, "question share");
    Random r = new Random(Seeds.mix(seed, MIX_SALT, split.ordinal(), index));
    return r.nextDouble() < questionShare
        ? example(split, Seeds.mix(seed, MIX_SALT), index).toTrainingExample()
        : captionExample(split, seed, index);
  }

  /**
   * Returns example {@code index} of the labeler's training mix: with probability {@code
   * captionShare} a clean caption, else a question, from the hard set's rotation or the balanced
   * stream with equal odds.
   *
   * @param split the split
   * @param seed the base seed
   * @param index position, from 0
   * @param captionShare share of clean captions, in [0, 1]
   * @return the training example
   */
  public TrainingExample labelerExample(Split split, long seed, long index, double captionShare) {
    checkShare(captionShare, "caption share");
    Random r = new Random(Seeds.mix(seed, MIX_SALT, split.ordinal(), index, 1));
    if (r.nextDouble() < captionShare) {
      Scene scene = generator.scene(split, Seeds.mix(seed, MIX_SALT, 1), index);
      String prompt = CaptionGrammar.PROMPTS.get(r.nextInt(CaptionGrammar.PROMPTS.size()));
      return new TrainingExample(scene, renderer.render(scene), prompt,
          HardGrammar.caption(scene, r.nextBoolean()), 0);
    }
    PolarExample q = r.nextBoolean() ? hardExample(split, seed, index) : example(split, seed, index);
    return q.toTrainingExample();
  }

  private static void checkShare(double share, String what) {
    if (!(share >= 0 && share <= 1)) {
      throw new InvalidInputException(what + " must be in [0, 1], got " + share);
    }
  }

  /** Draws scenes until one admits a question of the kind; the result depends only on the args. */
  private PolarExample make(Split split, long seed, long index, QuestionKind kind) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      long sceneSeed = attempt == 0 ? seed : Seeds.mix(seed, QUESTION_SALT, attempt);
      Scene scene = generator.scene(split, sceneSeed, index);
      Random r = new Random(Seeds.mix(seed, QUESTION_SALT, split.ordinal(), index, attempt));
      Optional<String> q = question(scene, kind, r);
      if (q.isPresent()) {
        return new PolarExample(scene, renderer.render(scene), q.get(), kind);
      }
    }
    throw new IllegalStateException("no scene of split " + split.id() + " admits a " + kind
        + " question in " + MAX_ATTEMPTS + " attempts");
  }

  /**
   * Writes a question of a kind about a scene, checked against the scene: its one parsed fact
   * holds exactly when the kind's answer is yes.
   *
   * @param scene the scene
   * @param kind what the question tests
   * @param r source of the random choices
   * @return the question, or empty when the scene admits none of that kind
   */
  Optional<String> question(Scene scene, QuestionKind kind, Random r) {
    Optional<String> q = draft(scene, kind, r);
    if (q.isEmpty()) {
      return q;
    }
    List<HardFact> facts = HardGrammar.parse(q.get());
    boolean ok = facts.size() == 1 && facts.get(0).holdsIn(scene) == kind.answer();
    return ok ? q : Optional.empty();
  }

  private Optional<String> draft(Scene scene, QuestionKind kind, Random r) {
    List<SceneObject> objects = scene.objects();
    int n = objects.size();
    if (kind == QuestionKind.COUNT) {
      return Optional.of(HardGrammar.countQuestion(n));
    }
    if (kind == QuestionKind.WRONG_COUNT) {
      int m;
      if ((n == 2 || n == 3) && r.nextBoolean()) {
        m = n + 1;
      } else {
        List<Integer> others = new ArrayList<>();
        for (int k = 1; k < HardGrammar.NUMBERS.size(); k++) {
          if (k != n) {
            others.add(k);
          }
        }
        m = others.get(r.nextInt(others.size()));
      }
      return Optional.of(HardGrammar.countQuestion(m));
    }
    if (n == 0) {
      return Optional.empty();
    }
    SceneObject o = objects.get(r.nextInt(n));
    SizeClass size = SizeClass.of(o);
    switch (kind) {
      case PRESENT_AT:
        return Optional.of(HardGrammar.objectQuestion(size, o.colour(), o.shape(), o.cell()));
      case ABSENT: {
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
        return Optional.of(HardGrammar.objectQuestion(SizeClass.values()[r.nextInt(2)], cs.get(k),
            ss.get(k), Cell.values()[r.nextInt(Cell.values().length)]));
      }
      case WRONG_COLOUR: {
        Colour c;
        if (o.colour() == Colour.PURPLE && r.nextBoolean()) {
          c = Colour.BLUE;
        } else {
          List<Colour> cs = new ArrayList<>(generator.colours());
          cs.remove(o.colour());
          if (cs.isEmpty()) {
            return Optional.empty();
          }
          c = cs.get(r.nextInt(cs.size()));
        }
        return Optional.of(HardGrammar.objectQuestion(size, c, o.shape(), o.cell()));
      }
      case WRONG_SHAPE: {
        List<Shape> ss = new ArrayList<>(generator.shapes());
        ss.remove(o.shape());
        return ss.isEmpty() ? Optional.empty() : Optional.of(HardGrammar.objectQuestion(size,
            o.colour(), ss.get(r.nextInt(ss.size())), o.cell()));
      }
      case WRONG_SIZE:
        return Optional.of(HardGrammar.objectQuestion(size.other(), o.colour(), o.shape(),
            o.cell()));
      case PARTNER: {
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
        return Optional.of(HardGrammar.objectQuestion(SizeClass.of(t), t.colour(),
            partners.get(t.shape()), cell));
      }
      case WRONG_PLACE: {
        List<Cell> cells = new ArrayList<>(List.of(Cell.values()));
        cells.remove(o.cell());
        return Optional.of(HardGrammar.objectQuestion(size, o.colour(), o.shape(),
            cells.get(r.nextInt(cells.size()))));
      }
      case RELATION:
      case WRONG_RELATION: {
        if (n < 2) {
          return Optional.empty();
        }
        SceneObject b = objects.get(r.nextInt(n));
        if (b == o) {
          b = objects.get((objects.indexOf(o) + 1 + r.nextInt(n - 1)) % n);
        }
        List<Relation> holding = new ArrayList<>();
        List<Relation> failing = new ArrayList<>();
        for (Relation rel : Relation.values()) {
          (rel.holds(o.cell(), b.cell()) ? holding : failing).add(rel);
        }
        if (kind == QuestionKind.RELATION) {
          return Optional.of(HardGrammar.relationQuestion(o, holding.get(r.nextInt(holding.size())),
              b));
        }
        Relation stated = Relation.between(o.cell(), b.cell()).orElseThrow();
        Relation wrong = stated.horizontal() && r.nextBoolean() ? stated.flipped()
            : failing.get(r.nextInt(failing.size()));
        return Optional.of(HardGrammar.relationQuestion(o, wrong, b));
      }
      default:
        return Optional.empty();
    }
  }
}
