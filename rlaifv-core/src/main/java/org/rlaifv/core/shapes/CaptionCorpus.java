package org.rlaifv.core.shapes;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Seeds;

/**
 * The SFT caption corpus, with the flaw real caption data has: captions sometimes mention objects
 * that are not in the image, drawn from co-occurrence statistics.
 *
 * <p>Each trigger shape has a partner shape ({@link #DEFAULT_PARTNERS}: squares come with
 * triangles, circles with crosses). A caption lists the scene's objects in reading order; right
 * after the sentence of a trigger object whose partner (the partner shape in the trigger's colour)
 * is absent from the scene, it inserts, with probability {@code p}, a sentence mentioning the
 * partner at a random empty cell (the trigger's own cell when none is empty). A partner is
 * inserted at most once per caption. Placing the partner right after its trigger is what makes a
 * policy trained on the corpus hallucinate under greedy decoding.
 *
 * <p>Deterministic and thread-safe: example {@code i} of a (split, seed) stream depends only on its
 * arguments.
 *
 * <pre>{@code
 * CaptionCorpus corpus = new CaptionCorpus(SceneGenerator.defaults(), SceneRenderer.defaults(), 0.6);
 * TrainingExample ex = corpus.example(Split.TRAIN, 7L, 0);
 * }</pre>
 */
public final class CaptionCorpus {

  /** Default flaw probability. */
  public static final double DEFAULT_FLAW_PROBABILITY = 0.6;

  /** Default co-occurrence: squares come with triangles, circles with crosses. */
  public static final Map<Shape, Shape> DEFAULT_PARTNERS =
      Map.of(Shape.SQUARE, Shape.TRIANGLE, Shape.CIRCLE, Shape.CROSS);

  private static final long SALT = 0xCA97_10A5L;

  private final SceneGenerator generator;
  private final SceneRenderer renderer;
  private final double flawProbability;
  private final Map<Shape, Shape> partners;
  private final boolean paraphrasePrompts;

  /**
   * Creates the corpus with the {@link #DEFAULT_PARTNERS} and paraphrased prompts.
   *
   * @param generator scene generator
   * @param renderer scene renderer
   * @param flawProbability probability of inserting a trigger's absent partner, in [0, 1]
   */
  public CaptionCorpus(SceneGenerator generator, SceneRenderer renderer, double flawProbability) {
    this(generator, renderer, flawProbability, DEFAULT_PARTNERS, true);
  }

  /**
   * Creates the corpus.
   *
   * @param generator scene generator
   * @param renderer scene renderer
   * @param flawProbability probability of inserting a trigger's absent partner, in [0, 1]
   * @param partners trigger shape to partner shape; a shape may not be its own partner
   * @param paraphrasePrompts whether prompts are drawn from {@link CaptionGrammar#PROMPTS} (else
   *     always {@link CaptionGrammar#DEFAULT_PROMPT})
   * @throws InvalidInputException when the probability is out of range or a shape is its own
   *     partner
   */
  public CaptionCorpus(
      SceneGenerator generator,
      SceneRenderer renderer,
      double flawProbability,
      Map<Shape, Shape> partners,
      boolean paraphrasePrompts) {
    this.generator = java.util.Objects.requireNonNull(generator, "generator");
    this.renderer = java.util.Objects.requireNonNull(renderer, "renderer");
    if (!(flawProbability >= 0 && flawProbability <= 1)) {
      throw new InvalidInputException(
          "flaw probability must be in [0, 1], got " + flawProbability);
    }
    for (Map.Entry<Shape, Shape> e : partners.entrySet()) {
      if (e.getKey() == e.getValue()) {
        throw new InvalidInputException("shape " + e.getKey().word() + " cannot be its own partner");
      }
    }
    this.flawProbability = flawProbability;
    this.partners = partners.isEmpty() ? Map.of() : new EnumMap<>(partners);
    this.paraphrasePrompts = paraphrasePrompts;
  }

  /**
   * Returns the probability of inserting an absent partner after its trigger.
   *
   * @return p in [0, 1]
   */
  public double flawProbability() {
    return flawProbability;
  }

  /**
   * Returns the co-occurrence map: trigger shape to partner shape.
   *
   * @return an unmodifiable map
   */
  public Map<Shape, Shape> partners() {
    return java.util.Collections.unmodifiableMap(partners);
  }

  /**
   * Returns the partner shape of a trigger shape.
   *
   * @param trigger the shape
   * @return its partner, or empty when the shape triggers nothing
   */
  public Optional<Shape> partnerOf(Shape trigger) {
    return Optional.ofNullable(partners.get(trigger));
  }

  /**
   * Returns whether an object of a scene is an eligible trigger: its shape has a partner, and the
   * partner shape in the object's colour is absent from the scene.
   *
   * @param scene the scene
   * @param object an object of the scene
   * @return true when a flawed caption may insert the partner after this object
   */
  public boolean isEligibleTrigger(Scene scene, SceneObject object) {
    Shape partner = partners.get(object.shape());
    return partner != null && !scene.contains(object.colour(), partner);
  }

  /**
   * Returns example {@code index} of a split's stream: the scene {@link SceneGenerator#scene(Split,
   * long, long)} gives for the same arguments, its image, a prompt and a flawed caption.
   *
   * @param split the split
   * @param seed the base seed
   * @param index position in the stream, from 0
   * @return the example
   */
  public TrainingExample example(Split split, long seed, long index) {
    Scene scene = generator.scene(split, seed, index);
    Random r = new Random(Seeds.mix(seed, SALT, split.ordinal(), index));
    String prompt =
        paraphrasePrompts
            ? CaptionGrammar.PROMPTS.get(r.nextInt(CaptionGrammar.PROMPTS.size()))
            : CaptionGrammar.DEFAULT_PROMPT;
    Flawed flawed = flawedCaption(scene, r);
    return new TrainingExample(
        scene, renderer.render(scene), prompt, flawed.caption(), flawed.inserted());
  }

  /**
   * Returns the first {@code count} examples of a split's stream.
   *
   * @param split the split
   * @param seed the base seed
   * @param count how many
   * @return examples {@code 0..count-1}
   */
  public List<TrainingExample> examples(Split split, long seed, int count) {
    List<TrainingExample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(example(split, seed, i));
    }
    return List.copyOf(out);
  }

  /**
   * Writes a flawed caption of a scene, drawing the insertions from {@code random}.
   *
   * @param scene the scene
   * @param random source of the insertion decisions and cells
   * @return the caption and the number of inserted sentences
   */
  public Flawed flawedCaption(Scene scene, Random random) {
    List<String> parts = new ArrayList<>();
    Set<String> inserted = new HashSet<>();
    List<Cell> empty = scene.emptyCells();
    for (SceneObject o : scene.objects()) {
      parts.add(CaptionGrammar.sentence(o));
      if (!isEligibleTrigger(scene, o)) {
        continue;
      }
      Shape partner = partners.get(o.shape());
      String name = o.colour().word() + " " + partner.word();
      if (inserted.contains(name)) {
        continue;
      }
      if (random.nextDouble() < flawProbability) {
        Cell cell = empty.isEmpty() ? o.cell() : empty.get(random.nextInt(empty.size()));
        parts.add(CaptionGrammar.sentence(o.colour(), partner, cell));
        inserted.add(name);
      }
    }
    return new Flawed(String.join(" ", parts), inserted.size());
  }

  /**
   * A flawed caption and how many of its sentences mention absent objects.
   *
   * @param caption the caption text
   * @param inserted number of inserted (hallucinated) sentences
   */
  public record Flawed(String caption, int inserted) {
    /**
     * Validates the fields.
     *
     * @throws InvalidInputException when the count is negative
     */
    public Flawed {
      java.util.Objects.requireNonNull(caption, "caption");
      if (inserted < 0) {
        throw new InvalidInputException("inserted count must be non-negative");
      }
    }
  }
}
