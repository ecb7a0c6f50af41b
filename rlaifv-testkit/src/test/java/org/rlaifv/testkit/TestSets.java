package org.rlaifv.testkit;

import java.util.ArrayList;
import java.util.List;
import org.rlaifv.Image;

/** A small synthetic labelled set: six solid-colour scenes, balanced yes and no questions. */
final class TestSets {
  private TestSets() {}

  static final String[] COLOURS = {"red", "green", "blue", "yellow"};
  static final String[] SHAPES = {"circle", "square", "cross"};

  static Image solid(int r, int g, int b) {
    byte[] px = new byte[4 * 4 * 3];
    for (int i = 0; i < 16; i++) {
      px[3 * i] = (byte) r;
      px[3 * i + 1] = (byte) g;
      px[3 * i + 2] = (byte) b;
    }
    return new Image(4, 4, px);
  }

  /**
   * Six scenes x four questions; question k about scene s has gold yes when (s + k) is even, so
   * the set is balanced: 24 items, 12 yes.
   */
  static List<LabelledQuestion> balanced() {
    List<LabelledQuestion> items = new ArrayList<>();
    for (int s = 0; s < 6; s++) {
      Image img = solid(40 * s, 255 - 40 * s, 7 * s);
      for (int k = 0; k < 4; k++) {
        String q = "is there a " + COLOURS[k] + " " + SHAPES[(s + k) % 3] + " in scene " + s + "?";
        items.add(LabelledQuestion.of("scene-" + s + ".png", img, q, (s + k) % 2 == 0));
      }
    }
    return items;
  }
}
