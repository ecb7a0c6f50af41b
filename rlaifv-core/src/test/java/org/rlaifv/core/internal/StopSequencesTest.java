package org.rlaifv.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The incremental stop check gives, token for token, what decoding the whole row after every token
 * gives (the samplers' former check, {@link #fullDecodeCheck}), on decoders built like Hugging
 * Face's: word-level, byte-level (lossy UTF-8) and sentencepiece with byte fallback and a stripped
 * leading space. The same comparison on the published tokenizers is in rlaifv-djl's {@code
 * StopSequencesTokenizerTest}.
 */
class StopSequencesTest {

  /** When and how a row ends: the number of tokens at the stop and the cut text, or no stop. */
  record Outcome(int tokens, Optional<String> text) {}

  /** The former check: decode the whole row after every token. */
  static Outcome fullDecodeCheck(long[] row, List<String> stops, Function<long[], String> decode) {
    if (stops.isEmpty()) {
      return new Outcome(row.length, Optional.empty());
    }
    for (int t = 1; t <= row.length; t++) {
      String text = decode.apply(Arrays.copyOf(row, t));
      for (String stop : stops) {
        int at = text.indexOf(stop);
        if (at >= 0) {
          return new Outcome(t, Optional.of(text.substring(0, at)));
        }
      }
    }
    return new Outcome(row.length, Optional.empty());
  }

  static Outcome incrementalCheck(long[] row, List<String> stops, Function<long[], String> decode) {
    StopSequences.Tracker tracker = StopSequences.of(stops, decode).newTracker();
    for (int t = 1; t <= row.length; t++) {
      Optional<String> cut = tracker.accept(row, t);
      if (cut.isPresent()) {
        return new Outcome(t, cut);
      }
    }
    return new Outcome(row.length, Optional.empty());
  }

  // --- Decoders shaped like Hugging Face's -------------------------------------------------

  private static final List<String> WORDS =
      List.of("there", "is", "a", "red", "circle", ".", "?", "the", "cross", "USER", ":", "\n");

  /** Word-level: tokens joined by a space. */
  static String wordLevel(long[] ids) {
    StringBuilder sb = new StringBuilder();
    for (long id : ids) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(WORDS.get((int) id));
    }
    return sb.toString();
  }

  /** Byte-level: every id is one byte; the bytes decode as lossy UTF-8. */
  static String byteLevel(long[] ids) {
    byte[] b = new byte[ids.length];
    for (int i = 0; i < ids.length; i++) {
      b[i] = (byte) ids[i];
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  /**
   * Sentencepiece with byte fallback: ids below 256 are byte tokens, a run of them decodes as UTF-8
   * or, when invalid, as one U+FFFD per byte; "▁" is a space; one leading space is stripped; id
   * 999 is a skipped special token.
   */
  static final List<String> PIECES =
      List.of("▁there", "▁is", "▁a", "▁red", "▁circle", ".", "▁", "▁▁", "\n", "ed", "▁cross", "?",
          "é", "▁USER", ":");

  static String byteFallback(long[] ids) {
    StringBuilder sb = new StringBuilder();
    ByteArrayOutputStream run = new ByteArrayOutputStream();
    for (long id : ids) {
      if (id == 999) {
        continue;
      }
      if (id < 256) {
        run.write((int) id);
        continue;
      }
      flush(run, sb);
      sb.append(PIECES.get((int) id - 256).replace('▁', ' '));
    }
    flush(run, sb);
    return sb.length() > 0 && sb.charAt(0) == ' ' ? sb.substring(1) : sb.toString();
  }

  private static void flush(ByteArrayOutputStream run, StringBuilder sb) {
    if (run.size() == 0) {
      return;
    }
    try {
      sb.append(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(run.toByteArray())));
    } catch (CharacterCodingException e) {
      sb.append("\uFFFD".repeat(run.size()));
    }
    run.reset();
  }

  private static final byte[] SOME_UTF8 =
      "a é € 😀 ü\n漢字 x".getBytes(StandardCharsets.UTF_8);

  static long[] wordRow(Random r, int n) {
    long[] row = new long[n];
    for (int i = 0; i < n; i++) {
      row[i] = r.nextInt(WORDS.size());
    }
    return row;
  }

  static long[] byteRow(Random r, int n) {
    long[] row = new long[n];
    for (int i = 0; i < n; i++) {
      // Mostly bytes of real text (so multi-byte characters are split across tokens), some noise.
      row[i] = r.nextInt(8) == 0 ? r.nextInt(256) : SOME_UTF8[r.nextInt(SOME_UTF8.length)] & 0xff;
    }
    return row;
  }

  static long[] pieceRow(Random r, int n) {
    long[] row = new long[n];
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(20);
      if (k == 0) {
        // A long run of byte tokens, longer than the window: characters outside the vocabulary,
        // now and then a stray byte that makes the whole run invalid.
        int end = Math.min(n, i + 8 + r.nextInt(24));
        int from = r.nextInt(SOME_UTF8.length);
        for (int j = 0; i < end; i++, j++) {
          row[i] = r.nextInt(40) == 0 ? 0x80 + r.nextInt(128) : SOME_UTF8[(from + j) % SOME_UTF8.length] & 0xff;
        }
        i--;
      } else if (k < 12) {
        row[i] = 256 + r.nextInt(PIECES.size());
      } else if (k < 18) {
        // byte tokens in short runs: sometimes a whole character, sometimes a part of one
        row[i] = SOME_UTF8[r.nextInt(SOME_UTF8.length)] & 0xff;
      } else {
        row[i] = 999;
      }
    }
    return row;
  }

  /** One to three stops: pieces of the row's own text (so they do occur) and a few strangers. */
  static List<String> stopsFor(Random r, String text) {
    List<String> stops = new ArrayList<>();
    int k = 1 + r.nextInt(3);
    for (int i = 0; i < k; i++) {
      if (text.length() >= 2 && r.nextInt(4) != 0) {
        int a = r.nextInt(text.length() - 1);
        int len = 1 + r.nextInt(Math.min(12, text.length() - a));
        stops.add(text.substring(a, a + len));
      } else {
        stops.add(List.of(".", "\n", "USER:", "red circle", "€", "\uFFFD", "zz").get(r.nextInt(7)));
      }
    }
    return stops;
  }

  private static void assertSameOutcome(
      long seed, Function<Random, long[]> rows, Function<long[], String> decode) {
    Random r = new Random(seed);
    long[] row = rows.apply(r);
    List<String> stops = stopsFor(r, decode.apply(row));
    assertEquals(fullDecodeCheck(row, stops, decode), incrementalCheck(row, stops, decode),
        "row " + Arrays.toString(row) + " stops " + stops);
  }

  @Property(tries = 400)
  void wordLevelRowsStopWhereTheFullDecodeStops(@ForAll long seed) {
    assertSameOutcome(seed, r -> wordRow(r, r.nextInt(60)), StopSequencesTest::wordLevel);
  }

  @Property(tries = 400)
  void byteLevelRowsStopWhereTheFullDecodeStops(@ForAll long seed) {
    assertSameOutcome(seed, r -> byteRow(r, r.nextInt(80)), StopSequencesTest::byteLevel);
  }

  @Property(tries = 400)
  void byteFallbackRowsStopWhereTheFullDecodeStops(@ForAll long seed) {
    assertSameOutcome(seed, r -> pieceRow(r, r.nextInt(80)), StopSequencesTest::byteFallback);
  }

  @Test
  void aStopSpanningTokensIsFoundWhenItsLastPieceArrives() {
    // "red circle" needs tokens 3 and 4; the text is cut before it, at token 4.
    long[] row = {0, 1, 2, 3, 4, 5};
    Outcome o = incrementalCheck(row, List.of("red circle"), StopSequencesTest::wordLevel);
    assertEquals(new Outcome(5, Optional.of("there is a ")), o);
  }

  @Test
  void aCharacterSplitOverByteTokensIsMatchedOnceComplete() {
    byte[] euro = "x €".getBytes(StandardCharsets.UTF_8);
    long[] row = new long[euro.length];
    for (int i = 0; i < euro.length; i++) {
      row[i] = euro[i] & 0xff;
    }
    Outcome o = incrementalCheck(row, List.of("€"), StopSequencesTest::byteLevel);
    assertEquals(new Outcome(euro.length, Optional.of("x ")), o);
  }

  @Test
  void aByteRunBrokenBeforeTheWindowKeepsItsReplacementCharacters() {
    // A lone 0xE2 makes the whole run of byte tokens after it invalid: the full decode shows one
    // U+FFFD per byte, although the window (past the 0xE2) decodes as plain "A"s.
    long[] row = new long[16];
    row[0] = 256 + 2; // "▁a"
    row[1] = 0xE2;
    Arrays.fill(row, 2, row.length, 0x41);
    List<String> stops = List.of("\uFFFD".repeat(12));
    Outcome full = fullDecodeCheck(row, stops, StopSequencesTest::byteFallback);
    assertEquals(new Outcome(13, Optional.of("a")), full);
    assertEquals(full, incrementalCheck(row, stops, StopSequencesTest::byteFallback));
  }

  @Test
  void theFirstListedStopWinsWhenOneTokenCompletesTwo() {
    long[] row = {7, 8, 5};
    assertEquals(new Outcome(3, Optional.of("the ")),
        incrementalCheck(row, List.of("cross .", "."), StopSequencesTest::wordLevel));
    assertEquals(new Outcome(3, Optional.of("the cross ")),
        incrementalCheck(row, List.of(".", "cross ."), StopSequencesTest::wordLevel));
  }

  @Test
  void anEmptyStopEndsTheRowAtItsFirstToken() {
    assertEquals(new Outcome(1, Optional.of("")),
        incrementalCheck(new long[] {0, 1}, List.of(""), StopSequencesTest::wordLevel));
  }

  @Test
  void withoutStopsNothingIsDecoded() {
    AtomicLong calls = new AtomicLong();
    StopSequences.Tracker t = StopSequences.of(List.of(), ids -> {
      calls.incrementAndGet();
      return "";
    }).newTracker();
    long[] row = {1, 2, 3};
    for (int i = 1; i <= row.length; i++) {
      assertTrue(t.accept(row, i).isEmpty());
    }
    assertEquals(0, calls.get());
  }

  @Test
  void decodesABoundedTailPerToken() {
    int n = 600;
    long[] row = wordRow(new Random(3), n);
    for (int i = 0; i < n; i++) {
      row[i] = row[i] == 5 || row[i] == 11 ? 0 : row[i]; // no "." or newline: the row never stops
    }
    AtomicLong decodedTokens = new AtomicLong();
    Function<long[], String> counting = ids -> {
      decodedTokens.addAndGet(ids.length);
      return wordLevel(ids);
    };
    Outcome o = incrementalCheck(row, List.of(".", "\n"), counting);
    assertEquals(new Outcome(n, Optional.empty()), o);
    // The former check decoded n(n+1)/2 = 180,300 tokens; the window costs about 2 * 9 per token.
    assertTrue(decodedTokens.get() <= 20L * n, "decoded " + decodedTokens.get() + " tokens");
  }

  @Test
  void theRowMustGrow() {
    StopSequences.Tracker t = StopSequences.of(List.of("."), StopSequencesTest::wordLevel).newTracker();
    long[] row = {0, 1};
    t.accept(row, 1);
    assertThrows(IllegalArgumentException.class, () -> t.accept(row, 1));
    assertThrows(IllegalArgumentException.class, () -> t.accept(row, 3));
  }
}
