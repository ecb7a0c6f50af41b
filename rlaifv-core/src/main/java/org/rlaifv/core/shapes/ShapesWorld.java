package org.rlaifv.core.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.Seeds;

/**
 * The ShapesWorld facade: scenes, images, prompts, corpora, the oracle judge and the metrics of one
 * configured world.
 *
 * <p>Prompt ids are self-describing ({@code "shapes-<split>-<seed hex>-<index>"}), so {@link
 * #scene(String)} recovers the ground truth of any prompt this world made, in any process.
 * Images handed out by {@link #prompts(Split, int, long)} and {@link #hardQuestions(Split, long,
 * int)} are registered for the {@link #oracleJudge()}.
 *
 * <pre>{@code
 * ShapesWorld world = ShapesWorld.defaults();
 * List<Prompt> train = world.prompts(Split.TRAIN, 256, 1L);
 * PolarJudge oracle = world.oracleJudge();
 * ShapesMetrics.Report r = world.evaluate(responses);
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ShapesWorld {

  private static final Pattern PROMPT_ID =
      Pattern.compile("shapes-(train|validation|test)-([0-9a-f]{1,16})-(\\d{1,18})");
  private static final Pattern HARD_PROMPT_ID =
      Pattern.compile("shapes-hard-(train|validation|test)-([0-9a-f]{1,16})-(\\d{1,18})");
  private static final long PROMPT_SALT = 0x9A0_3971L;

  private final SceneGenerator generator;
  private final SceneRenderer renderer;
  private final CaptionCorpus captionCorpus;
  private final PolarCorpus polarCorpus;
  private final boolean paraphrasePrompts;
  private final SceneRegistry registry = new SceneRegistry();
  private final List<String> vocabulary;
  private final boolean hard;
  private final HardCorpus hardCorpus;

  private ShapesWorld(Builder b) {
    this.hard = b.hard;
    this.generator = b.hard && !b.generator.sizeClasses()
        ? SceneGenerator.builder().sizeClasses(true).build() : b.generator;
    this.renderer = b.renderer;
    this.paraphrasePrompts = b.paraphrasePrompts;
    this.captionCorpus =
        new CaptionCorpus(generator, b.renderer, b.flawProbability, b.partners, true);
    this.polarCorpus = new PolarCorpus(generator, b.renderer, b.partners);
    this.hardCorpus = new HardCorpus(generator, b.renderer, b.flawProbability, b.partners);
    this.vocabulary = b.hard ? HardGrammar.vocabulary() : buildVocabulary();
  }

  /**
   * Returns the default world: {@link SceneGenerator#defaults()}, {@link
   * SceneRenderer#defaults()}, flaw probability 0.6, the default partners, paraphrased prompts.
   *
   * @return a new world
   */
  public static ShapesWorld defaults() {
    return builder().build();
  }

  /**
   * Returns the hard world: objects in two size classes, captions with counts, sizes and
   * relations, and four kinds of flaw ({@link HardCorpus}); prompt ids {@code
   * "shapes-hard-<split>-<seed hex>-<index>"}, questions from {@link HardCorpus#hardSet}, metrics
   * from {@link HardMetrics}.
   *
   * @return a new hard world
   */
  public static ShapesWorld hard() {
    return builder().hard(true).build();
  }

  /**
   * Returns whether this is the hard world.
   *
   * @return true for {@link #hard()}
   */
  public boolean isHard() {
    return hard;
  }

  /**
   * Returns the hard world's corpora (flawed captions with four kinds of error, questions, the
   * multitask and labeler mixes); defined for either world, used by the hard one.
   *
   * @return the corpora
   */
  public HardCorpus hardCorpus() {
    return hardCorpus;
  }

  /**
   * Returns a builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the scene generator.
   *
   * @return the generator
   */
  public SceneGenerator generator() {
    return generator;
  }

  /**
   * Returns the renderer.
   *
   * @return the renderer
   */
  public SceneRenderer renderer() {
    return renderer;
  }

  /**
   * Returns the flawed SFT caption corpus.
   *
   * @return the caption corpus
   */
  public CaptionCorpus captionCorpus() {
    return captionCorpus;
  }

  /**
   * Returns the labeler's polar-question corpus.
   *
   * @return the polar corpus
   */
  public PolarCorpus polarCorpus() {
    return polarCorpus;
  }

  /**
   * Returns the registry of images this world handed out.
   *
   * @return the registry
   */
  public SceneRegistry registry() {
    return registry;
  }

  /**
   * Returns every token that captions, prompts, polar questions, judge prompts and the labeler's
   * answers can contain (see {@link CaptionGrammar#tokens(String)}), including "yes", "Yes", "no",
   * "No", "Please", "please", "answer", "or", "." and "?".
   *
   * @return the tokens, sorted, without duplicates
   */
  public List<String> vocabulary() {
    return vocabulary;
  }

  /**
   * Returns the stable id of a prompt.
   *
   * @param split the split
   * @param seed the base seed
   * @param index the index in the split's stream
   * @return {@code "shapes-<split>-<seed as unsigned hex>-<index>"}
   */
  public static String promptId(Split split, long seed, long index) {
    return "shapes-" + split.id() + "-" + Long.toHexString(seed) + "-" + index;
  }

  /**
   * Returns prompt {@code index} of a split's stream and registers its image.
   *
   * @param split the split
   * @param seed the base seed
   * @param index the index, from 0
   * @return the prompt, with id {@link #promptId(Split, long, long)}
   */
  public Prompt prompt(Split split, long seed, long index) {
    Scene scene = generator.scene(split, seed, index);
    Image image = image(scene);
    String text = CaptionGrammar.DEFAULT_PROMPT;
    if (paraphrasePrompts) {
      Random r = new Random(Seeds.mix(seed, PROMPT_SALT, split.ordinal(), index));
      text = CaptionGrammar.PROMPTS.get(r.nextInt(CaptionGrammar.PROMPTS.size()));
    }
    String id = promptId(split, seed, index);
    return new Prompt(hard ? id.replaceFirst("^shapes-", "shapes-hard-") : id, image, text);
  }

  /**
   * Returns the first {@code count} prompts of a split's stream and registers their images.
   *
   * @param split the split
   * @param count how many
   * @param seed the base seed
   * @return prompts {@code 0..count-1}
   */
  public List<Prompt> prompts(Split split, int count, long seed) {
    if (count < 0) {
      throw new InvalidInputException("prompt count must be non-negative, got " + count);
    }
    List<Prompt> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(prompt(split, seed, i));
    }
    return List.copyOf(out);
  }

  /**
   * Renders a scene and registers the image for the oracle judge.
   *
   * @param scene the scene
   * @return the image
   */
  public Image image(Scene scene) {
    Image image = renderer.render(scene);
    registry.register(image, scene);
    return image;
  }

  /**
   * Returns the scene of a prompt this world made, from its id.
   *
   * @param promptId an id from {@link #promptId(Split, long, long)}
   * @return the scene
   * @throws InvalidInputException when the id is not a ShapesWorld prompt id
   */
  public Scene scene(String promptId) {
    Matcher m = (hard ? HARD_PROMPT_ID : PROMPT_ID).matcher(promptId);
    if (!m.matches()) {
      throw new InvalidInputException("prompt id '" + promptId + "' is not a ShapesWorld prompt id"
          + (hard ? " of the hard world (shapes-hard-<split>-<hex>-<n>)"
              : " (shapes-<split>-<hex>-<n>)"));
    }
    return generator.scene(
        Split.fromId(m.group(1)),
        Long.parseUnsignedLong(m.group(2), 16),
        Long.parseLong(m.group(3)));
  }

  /**
   * Returns the scene an image shows, when this world rendered it.
   *
   * @param image the image
   * @return the scene
   * @throws InvalidInputException when the image was not registered
   */
  public Scene scene(Image image) {
    return registry
        .find(image)
        .orElseThrow(
            () -> new InvalidInputException("image " + image.contentHash() + " is not registered"));
  }

  /**
   * Returns the hard held-out question set ({@link PolarCorpus#hardSet(Split, long, int)}) and
   * registers its images, for measuring a judge.
   *
   * @param split the split (validation or test for held-out numbers)
   * @param seed the base seed
   * @param count how many questions; a multiple of 8 balances answers and kinds exactly
   * @return the questions
   */
  public List<PolarExample> hardQuestions(Split split, long seed, int count) {
    List<PolarExample> set =
        hard ? hardCorpus.hardSet(split, seed, count) : polarCorpus.hardSet(split, seed, count);
    for (PolarExample e : set) {
      registry.register(e.image(), e.scene());
    }
    return set;
  }

  /**
   * Returns the ground-truth judge over this world's registry.
   *
   * @return the oracle judge
   */
  public ShapesOracleJudge oracleJudge() {
    return new ShapesOracleJudge(registry, hard);
  }

  /**
   * Evaluates responses to this world's prompts (CHAIR_i, CHAIR_s, coverage, mean words).
   *
   * @param responses responses whose prompt ids come from {@link #promptId(Split, long, long)}
   * @return the metrics
   */
  public ShapesMetrics.Report evaluate(List<Response> responses) {
    if (hard) {
      return evaluateHard(responses).objectReport();
    }
    List<Scene> scenes = new ArrayList<>(responses.size());
    List<String> texts = new ArrayList<>(responses.size());
    for (Response r : responses) {
      scenes.add(scene(r.promptId()));
      texts.add(r.text());
    }
    return ShapesMetrics.evaluate(scenes, texts);
  }

  /**
   * Evaluates responses with the hard world's metrics: CHAIR_i and an error rate per {@link
   * ErrorKind}, coverage (in the easy world, its captions have only object statements, so counts
   * and relations stay at zero).
   *
   * @param responses responses whose prompt ids come from this world
   * @return the metrics
   */
  public HardMetrics.Report evaluateHard(List<Response> responses) {
    List<Scene> scenes = new ArrayList<>(responses.size());
    List<String> texts = new ArrayList<>(responses.size());
    for (Response r : responses) {
      scenes.add(scene(r.promptId()));
      texts.add(r.text());
    }
    return HardMetrics.evaluate(scenes, texts);
  }

  private List<String> buildVocabulary() {
    TreeSet<String> v = new TreeSet<>();
    for (String p : CaptionGrammar.PROMPTS) {
      v.addAll(CaptionGrammar.tokens(p));
    }
    for (Colour c : Colour.values()) {
      for (Shape s : Shape.values()) {
        for (Cell cell : Cell.values()) {
          v.addAll(CaptionGrammar.tokens(CaptionGrammar.sentence(c, s, cell)));
          v.addAll(
              CaptionGrammar.tokens(
                  CaptionGrammar.judgePrompt(CaptionGrammar.question(c, s, cell))));
        }
        v.addAll(CaptionGrammar.tokens(CaptionGrammar.question(c, s)));
      }
    }
    v.addAll(List.of(CaptionGrammar.YES, CaptionGrammar.NO, "Yes", "No", "please", "Please"));
    return List.copyOf(v);
  }

  /** Settings of a {@link ShapesWorld}; validated in {@link #build()}. */
  public static final class Builder {
    private SceneGenerator generator = SceneGenerator.defaults();
    private SceneRenderer renderer = SceneRenderer.defaults();
    private double flawProbability = CaptionCorpus.DEFAULT_FLAW_PROBABILITY;
    private Map<Shape, Shape> partners = CaptionCorpus.DEFAULT_PARTNERS;
    private boolean paraphrasePrompts = true;
    private boolean hard;

    private Builder() {}

    /**
     * Sets whether this is the hard world (see {@link ShapesWorld#hard()}); a generator set
     * without size classes is then replaced by the default generator with size classes.
     *
     * @param hard true for the hard world
     * @return this builder
     */
    public Builder hard(boolean hard) {
      this.hard = hard;
      return this;
    }

    /**
     * Sets the scene generator.
     *
     * @param generator the generator
     * @return this builder
     */
    public Builder generator(SceneGenerator generator) {
      this.generator = Objects.requireNonNull(generator, "generator");
      return this;
    }

    /**
     * Sets the renderer.
     *
     * @param renderer the renderer
     * @return this builder
     */
    public Builder renderer(SceneRenderer renderer) {
      this.renderer = Objects.requireNonNull(renderer, "renderer");
      return this;
    }

    /**
     * Sets the caption corpus's flaw probability.
     *
     * @param p probability of inserting a trigger's absent partner, in [0, 1]
     * @return this builder
     */
    public Builder flawProbability(double p) {
      this.flawProbability = p;
      return this;
    }

    /**
     * Sets the co-occurrence map (trigger shape to partner shape).
     *
     * @param partners the map
     * @return this builder
     */
    public Builder partners(Map<Shape, Shape> partners) {
      this.partners = Map.copyOf(partners);
      return this;
    }

    /**
     * Sets whether {@link ShapesWorld#prompts(Split, int, long)} draws paraphrases of the prompt
     * (else always {@link CaptionGrammar#DEFAULT_PROMPT}).
     *
     * @param paraphrase true to paraphrase
     * @return this builder
     */
    public Builder paraphrasePrompts(boolean paraphrase) {
      this.paraphrasePrompts = paraphrase;
      return this;
    }

    /**
     * Validates the settings and builds the world.
     *
     * @return the world
     * @throws InvalidInputException when a setting is invalid
     */
    public ShapesWorld build() {
      return new ShapesWorld(this);
    }
  }
}
