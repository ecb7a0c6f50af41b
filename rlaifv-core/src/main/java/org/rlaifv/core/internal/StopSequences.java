package org.rlaifv.core.internal;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds a sample's stop sequences as its tokens are generated, giving the answer that decoding the
 * whole row after every token gives, while decoding only a few recent tokens per step. Every
 * backend's sampler uses this one check.
 *
 * <p>The answer is defined by the full decode: after token {@code t}, when the text of tokens
 * {@code 0..t} contains a stop sequence, the sample ends and its text is cut before that
 * sequence's first occurrence (the first sequence of the list that occurs wins). Decoding the whole
 * row on every token costs O(T²); instead each {@link Tracker} keeps the row's text and appends
 * what the new token adds, found by decoding a window of the eight tokens before it with and
 * without it, and searches only the new end of the text. While the window's decode holds U+FFFD
 * (bytes of a character cut by the window, as byte-level and byte-fallback tokenizers produce) the
 * window doubles. The whole row is decoded instead when the shortcut is not safe: the window's
 * decode changes more than its end, U+FFFD remains however wide the window, or the text so far
 * ends with U+FFFD (a character still waiting for its bytes). A stop sequence found in the kept text
 * is confirmed on the full decode before the sample ends, so the cut text is always the full
 * decode's. The shortcut relies on the tokenizer's decode being local, as Hugging Face decoders
 * (byte-level, byte fallback, metaspace, word-level) are: a token changes the text only after what
 * the tokens before it in the window decode to. Tested against the full-decode check on the
 * Llama, Mistral and Qwen2.5 tokenizers.
 *
 * <pre>{@code
 * StopSequences stops = StopSequences.of(params.stopSequences(), tokenizer::decode);
 * StopSequences.Tracker row = stops.newTracker();
 * // after appending each generated token to tokens[0..count):
 * Optional<String> cut = row.accept(tokens, count);
 * if (cut.isPresent()) { text = cut.get(); finished = true; }
 * }</pre>
 *
 * <p>A {@code StopSequences} is immutable and thread-safe; a {@link Tracker} belongs to one sample
 * and is not thread-safe.
 */
public final class StopSequences {

  /** Tokens decoded before the new ones to find what the new ones add. */
  static final int WINDOW = 8;

  private static final char REPLACEMENT = '\uFFFD';

  private final List<String> stops;
  private final Function<long[], String> decoder;
  private final int longest;

  private StopSequences(List<String> stops, Function<long[], String> decoder) {
    this.stops = stops;
    this.decoder = decoder;
    this.longest = stops.stream().mapToInt(String::length).max().orElse(0);
  }

  /**
   * Creates the check for a list of stop sequences.
   *
   * @param stops the stop sequences, in priority order (as {@link
   *     org.rlaifv.SamplingParams#stopSequences()})
   * @param decoder the tokenizer's decode of a row of token ids (special tokens skipped as the
   *     sampler's text skips them)
   * @return the check; with no stop sequences it never decodes
   * @throws NullPointerException when an argument or a stop sequence is null
   */
  public static StopSequences of(List<String> stops, Function<long[], String> decoder) {
    return new StopSequences(List.copyOf(stops), Objects.requireNonNull(decoder, "decoder"));
  }

  /**
   * Returns the stop sequences.
   *
   * @return the sequences, in priority order
   */
  public List<String> stops() {
    return stops;
  }

  /**
   * Starts tracking one sample.
   *
   * @return a tracker whose row holds no tokens yet
   */
  public Tracker newTracker() {
    return new Tracker();
  }

  /** The stop check of one sample, fed its row of tokens as they are generated. */
  public final class Tracker {
    /** The full decode of the first {@link #decoded} tokens. */
    private final StringBuilder text = new StringBuilder();
    private int decoded;

    private Tracker() {}

    /**
     * Checks the row after new tokens were appended to it.
     *
     * @param tokens the row's buffer, holding the tokens generated so far from index 0
     * @param count the number of tokens generated so far, more than at the previous call
     * @return the text before the stop sequence when the decoded row now contains one (exactly
     *     what decoding {@code tokens[0..count)} and cutting before the first occurrence of the
     *     first stop sequence found gives); empty while the sample goes on
     * @throws IllegalArgumentException when {@code count} did not grow
     */
    public Optional<String> accept(long[] tokens, int count) {
      checkArgument(count > decoded && count <= tokens.length,
          "the row must grow: %s tokens checked, now %s", decoded, count);
      if (stops.isEmpty()) {
        decoded = count;
        return Optional.empty();
      }
      int searchFrom = appendNewText(tokens, count);
      if (searchFrom < 0) {
        return cutFullText();
      }
      int from = Math.max(0, searchFrom - Math.max(longest, 1) + 1);
      for (String stop : stops) {
        if (text.indexOf(stop, from) >= 0) {
          // Found in the kept text: confirm on the full decode, which defines the answer.
          Optional<String> cut = resync(tokens, count);
          if (cut.isPresent()) {
            return cut;
          }
          break;
        }
      }
      return Optional.empty();
    }

    /**
     * Appends what the new tokens add to the text; returns where the new text starts, or -1 when
     * the full row had to be decoded (the text then holds it).
     */
    private int appendNewText(long[] tokens, int count) {
      boolean pending = text.length() > 0 && text.charAt(text.length() - 1) == REPLACEMENT;
      for (int window = WINDOW; !pending; window *= 2) {
        int start = decoded - window;
        if (start <= 0) {
          break;
        }
        String after = decoder.apply(Arrays.copyOfRange(tokens, start, count));
        if (after.indexOf(REPLACEMENT) >= 0) {
          // The window cuts a character, or bytes wait for the rest: look further back.
          continue;
        }
        String before = decoder.apply(Arrays.copyOfRange(tokens, start, decoded));
        if (!after.startsWith(before)) {
          break;
        }
        int at = text.length();
        text.append(after, before.length(), after.length());
        decoded = count;
        return at;
      }
      text.setLength(0);
      text.append(decoder.apply(Arrays.copyOf(tokens, count)));
      decoded = count;
      return -1;
    }

    private Optional<String> resync(long[] tokens, int count) {
      text.setLength(0);
      text.append(decoder.apply(Arrays.copyOf(tokens, count)));
      return cutFullText();
    }

    /** The check on the full decode, as a sampler without this class makes it. */
    private Optional<String> cutFullText() {
      for (String stop : stops) {
        int at = text.indexOf(stop);
        if (at >= 0) {
          return Optional.of(text.substring(0, at));
        }
      }
      return Optional.empty();
    }
  }
}
