package org.rlaifv.core.shapes;

import org.rlaifv.Seeds;

/**
 * A data split of ShapesWorld: training, validation (checkpoint selection) or test (final metrics).
 *
 * <p>Splits partition the space of scene <em>compositions</em>: a scene belongs to the split that
 * a fixed hash of its {@linkplain Scene#compositionKey() composition key} picks (80% train, 10%
 * validation, 10% test). So no composition, and hence no rendered image, of one split ever appears
 * in another, whatever the seeds.
 */
public enum Split {
  /** Training scenes: SFT, labeler training, alignment prompts (80% of compositions). */
  TRAIN("train"),
  /** Validation scenes: checkpoint selection (10% of compositions). */
  VALIDATION("validation"),
  /** Test scenes: reported metrics only (10% of compositions). */
  TEST("test");

  private static final long SALT = 0x5EED5_5917L;

  private final String id;

  Split(String id) {
    this.id = id;
  }

  /**
   * Returns the split's lower-case name, used in prompt ids.
   *
   * @return "train", "validation" or "test"
   */
  public String id() {
    return id;
  }

  /**
   * Returns the split a scene's composition belongs to.
   *
   * @param scene the scene
   * @return its split
   */
  public static Split of(Scene scene) {
    long bucket = Long.remainderUnsigned(Seeds.mix(SALT, scene.compositionKey()), 100);
    if (bucket < 80) {
      return TRAIN;
    }
    return bucket < 90 ? VALIDATION : TEST;
  }

  /**
   * Looks a split up by its {@link #id()}.
   *
   * @param id the id
   * @return the split
   * @throws IllegalArgumentException when no split has that id
   */
  public static Split fromId(String id) {
    for (Split s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown split '" + id + "'");
  }
}
