package org.rlaifv.core.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Image;

class SceneRendererTest {

  private static boolean isBackground(Image img, int x, int y) {
    return img.at(x, y, 0) < 40 && img.at(x, y, 1) < 40 && img.at(x, y, 2) < 50;
  }

  @Test
  void shapePixelsLieInTheirCellOnly() {
    for (int size : new int[] {32, 48}) {
      SceneRenderer r = new SceneRenderer(size, 0);
      int cell = r.cellSize();
      for (Scene scene : SceneGenerator.defaults().scenes(Split.TRAIN, 9L, 200)) {
        Image img = r.render(scene);
        assertEquals(size, img.width());
        int[] lit = new int[4];
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            if (!isBackground(img, x, y)) {
              Cell c = Cell.at(y / cell, x / cell);
              assertTrue(
                  scene.objectAt(c).isPresent(),
                  "lit pixel (" + x + "," + y + ") in empty " + c.phrase() + " of " + scene);
              lit[c.ordinal()]++;
            }
          }
        }
        for (SceneObject o : scene.objects()) {
          int minPixels = (int) (0.15 * cell * cell);
          assertTrue(
              lit[o.cell().ordinal()] >= minPixels,
              o.name() + " covers only " + lit[o.cell().ordinal()] + " pixels");
          // The pixel at the shape's centre, or the cross's arm, carries the exact colour.
          int cx = (int) (o.cell().column() * cell + cell * (0.5 + o.offsetX()));
          int cy = (int) (o.cell().row() * cell + cell * (0.5 + o.offsetY()));
          for (int ch = 0; ch < 3; ch++) {
            assertEquals(o.colour().channel(ch), img.at(cx, cy, ch), 40, o.name() + " colour");
          }
        }
      }
    }
  }

  @Test
  void shapesOfTheSameColourLookDifferent() {
    SceneRenderer r = SceneRenderer.defaults();
    List<String> hashes =
        java.util.Arrays.stream(Shape.values())
            .map(
                s ->
                    r.render(new Scene(1, List.of(SceneObject.of(s, Colour.RED, Cell.TOP_LEFT))))
                        .contentHash())
            .distinct()
            .toList();
    assertEquals(Shape.values().length, hashes.size());
  }

  @Test
  void noiseIsDeterministicAndMild() {
    Scene scene = SceneGenerator.defaults().generate(77);
    SceneRenderer noisy = new SceneRenderer(32, 6);
    Image a = noisy.render(scene);
    assertEquals(a, noisy.render(scene));
    Image clean = SceneRenderer.defaults().render(scene);
    assertNotEquals(a, clean);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        for (int c = 0; c < 3; c++) {
          assertTrue(Math.abs(a.at(x, y, c) - clean.at(x, y, c)) <= 6);
        }
      }
    }
  }

  @Test
  void writesReadablePng(@TempDir Path dir) {
    Scene scene = SceneGenerator.defaults().generate(3);
    Image img = SceneRenderer.defaults().render(scene);
    Path file = dir.resolve("scene.png");
    img.writePng(file);
    assertEquals(img, Image.fromFile(file));
  }
}
