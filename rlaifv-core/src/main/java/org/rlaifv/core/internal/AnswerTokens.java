package org.rlaifv.core.internal;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.rlaifv.ModelFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token arithmetic every backend's polar judge shares: which token ids stand for an answer word
 * at the first answer position, and how long a prefix two token sequences share.
 */
public final class AnswerTokens {
  private static final Logger LOG = LoggerFactory.getLogger(AnswerTokens.class);

  /** The words whose first tokens make p_yes: a model may answer with or without a space. */
  public static final List<String> YES_WORDS = List.of("Yes", "yes", " Yes", " yes");

  /** The words whose first tokens make p_no. */
  public static final List<String> NO_WORDS = List.of("No", "no", " No", " no");

  private AnswerTokens() {}

  /**
   * Returns the first token id of each word as it is tokenized right after a rendered question: the
   * first id where {@code afterQuestion.apply(word)} departs from {@code base} (the word's first
   * token, or the token it merged into with the question's last one), else the first id of the
   * word tokenized alone. Words that map to the unknown token are left out (logged).
   *
   * @param base token ids of the rendered question alone
   * @param afterQuestion token ids of the rendered question immediately followed by the word
   * @param alone token ids of the word tokenized alone
   * @param unknownId the tokenizer's unknown-token id, or -1 when it has none
   * @param tokenizer the tokenizer's file or model directory, for messages
   * @param words the answer words (for example "yes", "Yes")
   * @return the distinct ids, in word order
   * @throws ModelFormatException naming the tokenizer when no word has a token
   */
  public static int[] firstIds(
      long[] base,
      Function<String, long[]> afterQuestion,
      Function<String, long[]> alone,
      long unknownId,
      String tokenizer,
      String... words) {
    Set<Integer> ids = new LinkedHashSet<>();
    for (String w : words) {
      // the first id where the question followed by the word departs from the question alone:
      // usually the word's first token, or the token the word merged into at the boundary
      long[] full = afterQuestion.apply(w);
      int at = commonPrefix(full, base);
      long id = at < full.length ? full[at] : alone.apply(w)[0];
      if (id == unknownId) {
        LOG.warn("tokenizer {} has no token for '{}'; it is left out of the answer mass",
            tokenizer, w);
        continue;
      }
      ids.add((int) id);
    }
    if (ids.isEmpty()) {
      throw new ModelFormatException(
          "tokenizer " + tokenizer + " has no token for any of " + Arrays.toString(words));
    }
    return ids.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Returns the length of the longest common prefix of two token sequences.
   *
   * @param a one sequence
   * @param b the other
   * @return the number of leading positions where they agree
   */
  public static int commonPrefix(long[] a, long[] b) {
    int n = Math.min(a.length, b.length);
    int i = 0;
    while (i < n && a[i] == b[i]) {
      i++;
    }
    return i;
  }

  /**
   * Returns how many leading tokens all sequences share, leaving each at least its last token: the
   * prefix a judge encodes once, the last position being where each question is answered.
   *
   * @param sequences the token sequences, at least one, none empty
   * @return the shared prefix length
   */
  public static int sharedPrefix(List<long[]> sequences) {
    long[] first = sequences.get(0);
    int shared = first.length - 1;
    for (long[] seq : sequences) {
      shared = Math.min(shared, Math.min(commonPrefix(first, seq), seq.length - 1));
    }
    return shared;
  }
}
