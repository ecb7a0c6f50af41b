package org.rlaifv.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class RightPaddedTest {
  @Test
  void continuationsAfterACacheArePaddedMaskedAndPositioned() {
    RightPadded b =
        RightPadded.continuing(List.of(new long[] {7, 8, 1, 2, 3}, new long[] {7, 8, 4}), 2, 5, 0);
    assertEquals(2, b.rows());
    assertEquals(3, b.width());
    assertArrayEquals(new int[] {3, 1}, b.lengths());
    assertArrayEquals(new long[] {1, 2, 3, 4, 0, 0}, b.tokens());
    assertArrayEquals(
        new long[] {1, 1, 1, 1, 1, 1, 1, 1, /* row 2 */ 1, 1, 1, 1, 1, 1, 0, 0}, b.mask());
    assertArrayEquals(new long[] {5, 6, 7, 5, 5, 5}, b.positions());
  }

  @Test
  void lengthsAloneGiveMaskAndPositionsFromZero() {
    RightPadded b = RightPadded.lengths(new int[] {2, 0}, 3);
    assertNull(b.tokens());
    assertArrayEquals(new long[] {1, 1, 0, 0, 0, 0}, b.mask());
    assertArrayEquals(new long[] {0, 1, 1, 0, 0, 0}, b.positions());
  }

  @Test
  void sharedPrefixLeavesEveryQuestionItsLastToken() {
    assertEquals(
        2, AnswerTokens.sharedPrefix(List.of(new long[] {1, 2, 3, 4}, new long[] {1, 2, 5})));
    assertEquals(2, AnswerTokens.sharedPrefix(List.of(new long[] {1, 2, 3}, new long[] {1, 2, 3})));
    assertEquals(0, AnswerTokens.sharedPrefix(List.of(new long[] {9})));
  }
}
