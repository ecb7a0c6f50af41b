package org.rlaifv.core.shapes;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;

/**
 * Maps rendered images (by {@link Image#contentHash()}) to the scenes they show, so that a judge
 * given only an image can find its ground truth.
 *
 * <p>Thread-safe. Registering the same image twice is allowed when the scenes have the same
 * composition (identical images always do).
 */
public final class SceneRegistry {

  private final ConcurrentMap<String, Scene> byHash = new ConcurrentHashMap<>();

  /** Creates an empty registry. */
  public SceneRegistry() {}

  /**
   * Records the scene an image shows.
   *
   * @param image the rendered image
   * @param scene its scene
   * @throws InvalidInputException when the image is already registered with a scene of another
   *     composition
   */
  public void register(Image image, Scene scene) {
    Objects.requireNonNull(scene, "scene");
    String hash = image.contentHash();
    Scene prev = byHash.putIfAbsent(hash, scene);
    if (prev != null && !prev.compositionKey().equals(scene.compositionKey())) {
      throw new InvalidInputException(
          "image " + hash + " is already registered with a different scene (" + prev.seed() + ")");
    }
  }

  /**
   * Looks up the scene of an image.
   *
   * @param image the image
   * @return its scene, or empty when it was never registered
   */
  public Optional<Scene> find(Image image) {
    return Optional.ofNullable(byHash.get(image.contentHash()));
  }

  /**
   * Returns the number of registered images.
   *
   * @return the count
   */
  public int size() {
    return byHash.size();
  }
}
