package org.rlaifv.core.shapes;

import java.util.Random;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Seeds;

/**
 * Renders a scene to an RGB image: a dark background split into a 2x2 grid, each object a filled
 * shape inside its cell, anti-aliased by 4x4 supersampling, with optional mild noise.
 *
 * <p>With the default 32x32 canvas each cell is 16x16 pixels, so a vision encoder with 16x16 patches
 * sees exactly one cell per patch. Rendering is deterministic (noise is drawn from the scene's
 * seed). Immutable and thread-safe.
 *
 * <pre>{@code
 * Image img = SceneRenderer.defaults().render(scene);
 * img.writePng(Path.of("scene.png"));
 * }</pre>
 *
 * @param size side of the square canvas in pixels; even, at least 8
 * @param noise amplitude of uniform per-channel noise in levels (0 to 64), 0 for none
 */
public record SceneRenderer(int size, int noise) {

  /** Background RGB value, per channel. */
  private static final int[] BACKGROUND = {18, 18, 26};

  private static final int SUPERSAMPLE = 4;

  /**
   * Validates the settings.
   *
   * @throws InvalidInputException when the size is odd or below 8, or the noise is out of range
   */
  public SceneRenderer {
    if (size < 8 || size % 2 != 0 || size > 1024) {
      throw new InvalidInputException("canvas size must be even and in 8..1024, got " + size);
    }
    if (noise < 0 || noise > 64) {
      throw new InvalidInputException("noise amplitude must be in 0..64, got " + noise);
    }
  }

  /**
   * Returns the default renderer: 32x32 pixels, no noise.
   *
   * @return the default renderer
   */
  public static SceneRenderer defaults() {
    return new SceneRenderer(32, 0);
  }

  /**
   * Returns the side of one grid cell in pixels.
   *
   * @return {@code size / 2}
   */
  public int cellSize() {
    return size / 2;
  }

  /**
   * Renders a scene.
   *
   * @param scene the scene
   * @return a new {@code size x size} RGB image
   */
  public Image render(Scene scene) {
    double[] cov = new double[size * size];
    byte[] rgb = new byte[size * size * 3];
    double[][] acc = new double[3][size * size];
    for (int i = 0; i < size * size; i++) {
      for (int c = 0; c < 3; c++) {
        acc[c][i] = BACKGROUND[c];
      }
    }
    for (SceneObject o : scene.objects()) {
      java.util.Arrays.fill(cov, 0);
      coverage(o, cov);
      for (int i = 0; i < cov.length; i++) {
        if (cov[i] > 0) {
          for (int c = 0; c < 3; c++) {
            acc[c][i] = acc[c][i] * (1 - cov[i]) + o.colour().channel(c) * cov[i];
          }
        }
      }
    }
    Random r = new Random(Seeds.mix(scene.seed(), 0x4E015EL));
    for (int i = 0; i < size * size; i++) {
      for (int c = 0; c < 3; c++) {
        double v = acc[c][i];
        if (noise > 0) {
          v += r.nextInt(2 * noise + 1) - noise;
        }
        rgb[3 * i + c] = (byte) Math.max(0, Math.min(255, Math.round(v)));
      }
    }
    return new Image(size, size, rgb);
  }

  /** Adds the fraction of each pixel the object covers; only pixels of its cell are touched. */
  private void coverage(SceneObject o, double[] cov) {
    int cell = cellSize();
    int x0 = o.cell().column() * cell;
    int y0 = o.cell().row() * cell;
    double cx = x0 + cell * (0.5 + o.offsetX());
    double cy = y0 + cell * (0.5 + o.offsetY());
    double radius = cell * o.size() / 2;
    double step = 1.0 / SUPERSAMPLE;
    for (int py = y0; py < y0 + cell; py++) {
      for (int px = x0; px < x0 + cell; px++) {
        int hits = 0;
        for (int sy = 0; sy < SUPERSAMPLE; sy++) {
          for (int sx = 0; sx < SUPERSAMPLE; sx++) {
            double u = (px + (sx + 0.5) * step - cx) / radius;
            double v = (py + (sy + 0.5) * step - cy) / radius;
            if (inside(o.shape(), u, v)) {
              hits++;
            }
          }
        }
        cov[py * size + px] = hits / (double) (SUPERSAMPLE * SUPERSAMPLE);
      }
    }
  }

  /** Whether the point (u, v), in units of the object's half-extent from its centre, is inside. */
  static boolean inside(Shape shape, double u, double v) {
    double au = Math.abs(u);
    double av = Math.abs(v);
    return switch (shape) {
      case CIRCLE -> u * u + v * v <= 1;
      case SQUARE -> au <= 0.85 && av <= 0.85;
      case DIAMOND -> au + av <= 1;
      case CROSS -> (au <= 0.3 && av <= 1) || (av <= 0.3 && au <= 1);
      case TRIANGLE -> v >= -0.95 && v <= 0.9 && au <= (v + 0.95) / 1.85;
    };
  }
}
