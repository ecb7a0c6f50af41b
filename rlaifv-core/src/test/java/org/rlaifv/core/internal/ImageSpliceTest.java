package org.rlaifv.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlaifv.InvalidInputException;

class ImageSpliceTest {
  @Test
  void placeholdersOpenRoomForTheFeaturesAndRowsArePaddedRight() {
    // image id 9, three feature positions, pad 0
    ImageSplice s = ImageSplice.of(List.of(new long[] {1, 9, 5, 6}, new long[] {1, 2, 9, 7}), 9, 3, 0);
    assertEquals(6, s.width());
    assertArrayEquals(new int[] {1, 2}, s.imagePositions());
    assertArrayEquals(new int[] {6, 6}, s.lengths());
    assertArrayEquals(new long[] {1, 0, 0, 0, 5, 6, 1, 2, 0, 0, 0, 7}, s.textIds());
    assertFalse(s.samePosition());
    ImageSplice t = ImageSplice.of(List.of(new long[] {9, 5}, new long[] {9, 5, 6, 7}), 9, 2, 4);
    assertTrue(t.samePosition());
    assertArrayEquals(new int[] {3, 5}, t.lengths());
    assertArrayEquals(new long[] {4, 4, 5, 4, 4, 4, 4, 5, 6, 7}, t.textIds());
  }

  @Test
  void aRowWithoutPlaceholderIsNamed() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ImageSplice.of(List.of(new long[] {9}, new long[] {1, 2}), 9, 1, 0));
    assertTrue(e.getMessage().contains("token sequence 1"), e.getMessage());
  }
}
