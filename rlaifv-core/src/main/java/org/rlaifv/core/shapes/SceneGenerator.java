package org.rlaifv.core.shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Seeds;

/**
 * Generates scenes from seeds: 1 to 4 objects (by default), at most one per cell, random shape and
 * colour, small jitter of size and position.
 *
 * <p>Deterministic: {@link #generate(long)} gives the same scene for the same seed on every JVM
 * ({@link java.util.Random} is fully specified). Immutable and thread-safe.
 *
 * <pre>{@code
 * SceneGenerator gen = SceneGenerator.defaults();
 * Scene s = gen.scene(Split.TEST, 42L, 0); // the first test scene of seed 42
 * }</pre>
 */
public final class SceneGenerator {

  private static final int MAX_ATTEMPTS = 100_000;
  private static final double SMALL_MIN = 0.4;
  private static final double LARGE_MIN = 0.8;
  private static final double SIZE_SPREAD = 0.1;

  private final List<Shape> shapes;
  private final List<Colour> colours;
  private final int minObjects;
  private final int maxObjects;
  private final double minSize;
  private final double maxSize;
  private final double maxOffset;
  private final boolean sizeClasses;

  private SceneGenerator(Builder b) {
    this.shapes = List.copyOf(b.shapes);
    this.colours = List.copyOf(b.colours);
    this.minObjects = b.minObjects;
    this.maxObjects = b.maxObjects;
    this.minSize = b.minSize;
    this.maxSize = b.maxSize;
    this.maxOffset = b.maxOffset;
    this.sizeClasses = b.sizeClasses;
  }

  /**
   * Returns the default generator: every shape and colour, 1 to 4 objects, size 0.6 to 0.8 of a
   * cell, centre offset up to 0.08 of a cell.
   *
   * @return the default generator
   */
  public static SceneGenerator defaults() {
    return builder().build();
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
   * Returns the shapes objects are drawn from.
   *
   * @return the shapes, in declaration order
   */
  public List<Shape> shapes() {
    return shapes;
  }

  /**
   * Returns whether sizes come in two classes ({@link SizeClass}) rather than one range.
   *
   * @return true for the hard world's generator
   */
  public boolean sizeClasses() {
    return sizeClasses;
  }

  /**
   * Returns the colours objects are drawn from.
   *
   * @return the colours, in declaration order
   */
  public List<Colour> colours() {
    return colours;
  }

  /**
   * Generates the scene of a seed, whatever split it falls in.
   *
   * @param seed the scene seed, stored in the scene
   * @return the scene
   */
  public Scene generate(long seed) {
    Random r = new Random(seed);
    int n = minObjects + r.nextInt(maxObjects - minObjects + 1);
    List<Cell> cells = new ArrayList<>(Arrays.asList(Cell.values()));
    Collections.shuffle(cells, r);
    List<SceneObject> objects = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Shape shape = shapes.get(r.nextInt(shapes.size()));
      Colour colour = colours.get(r.nextInt(colours.size()));
      double size = sizeClasses
          ? (r.nextBoolean() ? SMALL_MIN : LARGE_MIN) + r.nextDouble() * SIZE_SPREAD
          : minSize + r.nextDouble() * (maxSize - minSize);
      double limit = Math.min(maxOffset, (1 - size) / 2);
      double dx = (2 * r.nextDouble() - 1) * limit;
      double dy = (2 * r.nextDouble() - 1) * limit;
      objects.add(new SceneObject(shape, colour, cells.get(i), size, dx, dy));
    }
    return new Scene(seed, objects);
  }

  /**
   * Returns scene number {@code index} of a split's stream for a base seed.
   *
   * <p>Candidates are generated from seeds derived from (seed, split, index, attempt) until one
   * falls in the split ({@link Split#of(Scene)}), so the streams of different splits never share a
   * composition. The result depends only on the arguments, not on other indices.
   *
   * @param split the split
   * @param seed the base seed of the stream
   * @param index position in the stream, from 0
   * @return the scene
   * @throws IllegalStateException when this generator's settings leave the split (almost) empty
   */
  public Scene scene(Split split, long seed, long index) {
    if (index < 0) {
      throw new InvalidInputException("scene index must be non-negative, got " + index);
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Scene s = generate(Seeds.mix(seed, split.ordinal(), index, attempt));
      if (Split.of(s) == split) {
        return s;
      }
    }
    throw new IllegalStateException(
        "no "
            + split.id()
            + " scene found in "
            + MAX_ATTEMPTS
            + " attempts: the generator's shapes, colours and object counts allow too few"
            + " compositions");
  }

  /**
   * Returns the first {@code count} scenes of a split's stream.
   *
   * @param split the split
   * @param seed the base seed
   * @param count how many scenes
   * @return scenes {@code 0..count-1} of {@link #scene(Split, long, long)}
   */
  public List<Scene> scenes(Split split, long seed, int count) {
    if (count < 0) {
      throw new InvalidInputException("scene count must be non-negative, got " + count);
    }
    List<Scene> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(scene(split, seed, i));
    }
    return List.copyOf(out);
  }

  /** Settings of a {@link SceneGenerator}; validated in {@link #build()}. */
  public static final class Builder {
    private Set<Shape> shapes = EnumSet.allOf(Shape.class);
    private Set<Colour> colours = EnumSet.allOf(Colour.class);
    private int minObjects = 1;
    private int maxObjects = 4;
    private double minSize = 0.6;
    private double maxSize = 0.8;
    private double maxOffset = 0.08;
    private boolean sizeClasses;

    private Builder() {}

    /**
     * Sets whether sizes come in two classes, as the hard world names them: small (0.4 to 0.5 of
     * the cell side) or large (0.8 to 0.9), with equal odds; the {@link #size(double, double)}
     * range is then unused. Off by default, and off the generator draws exactly as before.
     *
     * @param on whether to draw size classes
     * @return this builder
     */
    public Builder sizeClasses(boolean on) {
      this.sizeClasses = on;
      return this;
    }

    /**
     * Sets the shapes objects are drawn from.
     *
     * @param shapes at least one shape
     * @return this builder
     */
    public Builder shapes(Shape... shapes) {
      this.shapes = shapes.length == 0 ? EnumSet.noneOf(Shape.class) : EnumSet.copyOf(List.of(shapes));
      return this;
    }

    /**
     * Sets the colours objects are drawn from.
     *
     * @param colours at least one colour
     * @return this builder
     */
    public Builder colours(Colour... colours) {
      this.colours =
          colours.length == 0 ? EnumSet.noneOf(Colour.class) : EnumSet.copyOf(List.of(colours));
      return this;
    }

    /**
     * Sets the range of the number of objects per scene.
     *
     * @param min at least 0
     * @param max at least {@code min}, at most 4
     * @return this builder
     */
    public Builder objects(int min, int max) {
      this.minObjects = min;
      this.maxObjects = max;
      return this;
    }

    /**
     * Sets the range of object sizes, as fractions of the cell side.
     *
     * @param min more than 0
     * @param max at least {@code min}, at most 1
     * @return this builder
     */
    public Builder size(double min, double max) {
      this.minSize = min;
      this.maxSize = max;
      return this;
    }

    /**
     * Sets the largest shift of an object's centre from its cell's centre, as a fraction of the
     * cell side (further limited so the object stays in its cell).
     *
     * @param maxOffset at least 0
     * @return this builder
     */
    public Builder maxOffset(double maxOffset) {
      this.maxOffset = maxOffset;
      return this;
    }

    /**
     * Validates the settings and builds the generator.
     *
     * @return the generator
     * @throws InvalidInputException when a setting is out of range
     */
    public SceneGenerator build() {
      if (shapes.isEmpty() || colours.isEmpty()) {
        throw new InvalidInputException("scene generator needs at least one shape and one colour");
      }
      if (minObjects < 0 || maxObjects < minObjects || maxObjects > Cell.values().length) {
        throw new InvalidInputException(
            "object count range must satisfy 0 <= min <= max <= 4, got "
                + minObjects
                + ".."
                + maxObjects);
      }
      if (!(minSize > 0 && minSize <= maxSize && maxSize <= 1)) {
        throw new InvalidInputException(
            "size range must satisfy 0 < min <= max <= 1, got " + minSize + ".." + maxSize);
      }
      if (!(maxOffset >= 0 && maxOffset < 0.5)) {
        throw new InvalidInputException("max offset must be in [0, 0.5), got " + maxOffset);
      }
      return new SceneGenerator(this);
    }
  }
}
