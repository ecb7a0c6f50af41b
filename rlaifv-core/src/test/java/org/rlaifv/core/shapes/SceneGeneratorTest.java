package org.rlaifv.core.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.rlaifv.InvalidInputException;

class SceneGeneratorTest {

  private final SceneGenerator gen = SceneGenerator.defaults();
  private final SceneRenderer renderer = SceneRenderer.defaults();

  @Property(tries = 200)
  void generatedScenesAreValidAndDeterministic(@ForAll long seed) {
    Scene a = gen.generate(seed);
    Scene b = gen.generate(seed);
    assertEquals(a, b);
    assertEquals(seed, a.seed());
    assertTrue(a.objects().size() >= 1 && a.objects().size() <= 4, "object count");
    for (int i = 1; i < a.objects().size(); i++) {
      assertTrue(a.objects().get(i - 1).cell().compareTo(a.objects().get(i).cell()) < 0);
    }
    for (SceneObject o : a.objects()) {
      assertTrue(o.size() >= 0.6 && o.size() <= 0.8, "size " + o.size());
      assertTrue(Math.abs(o.offsetX()) <= 0.08 && Math.abs(o.offsetY()) <= 0.08);
    }
  }

  @Test
  void sameSeedGivesSameImages() {
    for (int i = 0; i < 20; i++) {
      Scene a = gen.scene(Split.TRAIN, 5L, i);
      Scene b = SceneGenerator.defaults().scene(Split.TRAIN, 5L, i);
      assertEquals(a, b);
      assertEquals(renderer.render(a).contentHash(), renderer.render(b).contentHash());
    }
    assertNotEquals(gen.scenes(Split.TRAIN, 5L, 10), gen.scenes(Split.TRAIN, 6L, 10));
  }

  @Test
  void streamsStayInTheirSplit() {
    for (Split s : Split.values()) {
      for (Scene scene : gen.scenes(s, 11L, 50)) {
        assertEquals(s, Split.of(scene));
      }
    }
  }

  @Test
  void splitsNeverShareAnImage() {
    Map<Split, Set<String>> hashes = new EnumMap<>(Split.class);
    int[] counts = {1500, 300, 300};
    for (Split s : Split.values()) {
      Set<String> h = new HashSet<>();
      for (Scene scene : gen.scenes(s, 3L, counts[s.ordinal()])) {
        h.add(renderer.render(scene).contentHash());
      }
      hashes.put(s, h);
    }
    for (Split a : Split.values()) {
      for (Split b : Split.values()) {
        if (a != b) {
          Set<String> both = new HashSet<>(hashes.get(a));
          both.retainAll(hashes.get(b));
          assertTrue(both.isEmpty(), a + " and " + b + " share " + both.size() + " images");
        }
      }
    }
  }

  @Test
  void splitSharesAreRoughly80_10_10AndCountsCoverOneToFour() {
    Map<Split, Integer> perSplit = new EnumMap<>(Split.class);
    Map<Integer, Integer> perCount = new HashMap<>();
    int n = 4000;
    for (int i = 0; i < n; i++) {
      Scene s = gen.generate(i * 7919L + 1);
      perSplit.merge(Split.of(s), 1, Integer::sum);
      perCount.merge(s.objects().size(), 1, Integer::sum);
    }
    assertEquals(0.8, perSplit.get(Split.TRAIN) / (double) n, 0.03);
    assertEquals(0.1, perSplit.get(Split.TEST) / (double) n, 0.02);
    for (int k = 1; k <= 4; k++) {
      assertEquals(0.25, perCount.get(k) / (double) n, 0.03, "share of " + k + " objects");
    }
  }

  @Test
  void restrictedGeneratorUsesOnlyItsShapesAndColours() {
    SceneGenerator g =
        SceneGenerator.builder()
            .shapes(Shape.CIRCLE, Shape.SQUARE)
            .colours(Colour.RED)
            .objects(2, 2)
            .build();
    for (Scene s : g.scenes(Split.TRAIN, 1L, 30)) {
      assertEquals(2, s.objects().size());
      for (SceneObject o : s.objects()) {
        assertEquals(Colour.RED, o.colour());
        assertTrue(o.shape() == Shape.CIRCLE || o.shape() == Shape.SQUARE);
      }
    }
  }

  @Test
  void invalidSettingsAndScenesAreRejected() {
    assertThrows(InvalidInputException.class, () -> SceneGenerator.builder().objects(0, 5).build());
    assertThrows(InvalidInputException.class, () -> SceneGenerator.builder().shapes().build());
    assertThrows(InvalidInputException.class, () -> SceneGenerator.builder().size(0.9, 0.5).build());
    assertThrows(
        InvalidInputException.class,
        () ->
            new Scene(
                1,
                List.of(
                    SceneObject.of(Shape.CIRCLE, Colour.RED, Cell.TOP_LEFT),
                    SceneObject.of(Shape.CROSS, Colour.BLUE, Cell.TOP_LEFT))));
    assertThrows(
        InvalidInputException.class,
        () -> new SceneObject(Shape.CIRCLE, Colour.RED, Cell.TOP_LEFT, 0.8, 0.2, 0));
    assertFalse(Split.of(gen.generate(1)) == null);
  }
}
