package org.rlaifv.core.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.hash.Hashing;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;

class PilResampleTest {

  private static final Map<String, Image> IMAGES = new HashMap<>();

  private static Image image(String file) {
    return IMAGES.computeIfAbsent(file, f -> Image.fromFile(Goldens.dir().resolve(f)));
  }

  static Stream<Arguments> pilCases() {
    return StreamSupport.stream(Goldens.cases("resize.json").spliterator(), false)
        .map(c -> Arguments.of(
            c.get("file").asText() + " -> " + c.get("width").intValue() + "x"
                + c.get("height").intValue() + " " + c.get("filter").asText(),
            c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pilCases")
  void matchesPilByteForByte(String name, JsonNode c) {
    Resample filter = Resample.fromPilCode(c.get("resample").intValue());
    assertEquals(c.get("filter").asText(), filter.name().toLowerCase(java.util.Locale.ROOT));
    Image out = PilResample.resize(
        image(c.get("file").asText()), c.get("width").intValue(), c.get("height").intValue(),
        filter);
    assertEquals(c.get("width").intValue(), out.width());
    assertEquals(c.get("height").intValue(), out.height());
    if (c.has("rgb")) {
      assertArrayEquals(Goldens.bytes(c.get("rgb")), out.rgb(), name);
    } else {
      assertEquals(c.get("rgb_sha256").asText(), sha256(out.rgb()), name);
    }
  }

  private static String sha256(byte[] data) {
    return Hashing.sha256().hashBytes(data).toString();
  }

  @Test
  void theGoldensCoverEveryFilter() {
    long filters = StreamSupport.stream(Goldens.cases("resize.json").spliterator(), false)
        .map(c -> c.get("filter").asText()).distinct().count();
    assertEquals(Resample.values().length, filters);
  }

  @Test
  void sameSizeIsTheImageItself() {
    Image img = image("rgb_13x7.png");
    assertSame(img, PilResample.resize(img, 13, 7, Resample.BICUBIC));
  }

  @Test
  void bicubicClipsItsOvershoot() {
    // A hard black/white edge: bicubic's negative lobes push past 0 and 255, which must clip.
    byte[] px = new byte[8 * 3];
    for (int x = 4; x < 8; x++) {
      px[x * 3] = px[x * 3 + 1] = px[x * 3 + 2] = (byte) 255;
    }
    Image up = PilResample.resize(new Image(8, 1, px), 19, 1, Resample.BICUBIC);
    int min = 255;
    int max = 0;
    for (int x = 0; x < 19; x++) {
      min = Math.min(min, up.at(x, 0, 0));
      max = Math.max(max, up.at(x, 0, 0));
    }
    assertEquals(0, min);
    assertEquals(255, max);
  }

  @Test
  void rejectsEmptyTargets() {
    Image img = image("rgb_7x5.png");
    assertThrows(InvalidInputException.class, () -> PilResample.resize(img, 0, 3, Resample.BOX));
  }

  @Test
  void filterCodesRoundTrip() {
    for (Resample r : Resample.values()) {
      assertSame(r, Resample.fromPilCode(r.pilCode()));
    }
    var e = assertThrows(InvalidInputException.class, () -> Resample.fromPilCode(7));
    assertTrue(e.getMessage().contains("7"));
  }
}
