package org.rlaifv.testkit;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.rlaifv.InvalidInputException;

/**
 * A labelled evaluation set for a judge: questions with gold answers, and optionally pairs of
 * questions that negate each other.
 *
 * <p>Load one from JSONL with {@link #load(Path)}; each non-blank line is one object:
 *
 * <pre>{@code
 * {"image": "scenes/0001.png", "question": "is there a red circle?", "answer": "yes"}
 * {"id": "q2", "image": "scenes/0001.png", "question": "is there a blue cross?", "answer": "no"}
 * {"id": "q3", "image": "scenes/0001.png", "question": "is there no blue cross?", "answer": "yes", "negates": "q2"}
 * }</pre>
 *
 * <p>{@code image} is a path relative to the data set root (the JSONL file's directory unless
 * given) and must stay inside it; {@code answer} is {@code "yes"} or {@code "no"} (any case);
 * {@code id} (optional, unique) names the item; {@code negates} (optional) is the id of another
 * item on the same image with the opposite answer. Other fields are ignored.
 *
 * @param questions the labelled questions, in file order
 * @param negationPairs pairs of items (both in {@code questions}) that negate each other
 */
public record LabelledSet(List<LabelledQuestion> questions, List<NegationPair> negationPairs) {

  /** Longest JSONL line the loader accepts, in characters (1 MiB). */
  public static final int MAX_LINE_CHARS = 1 << 20;

  /** Most items the loader accepts from one file. */
  public static final int MAX_ITEMS = 1_000_000;

  /**
   * Copies the lists and checks that every paired item belongs to the set.
   *
   * @throws NullPointerException when a list or element is null
   * @throws InvalidInputException when a pair names an item outside the set
   */
  public LabelledSet {
    questions = List.copyOf(questions);
    negationPairs = List.copyOf(negationPairs);
    Set<LabelledQuestion> members = new HashSet<>(questions);
    for (NegationPair p : negationPairs) {
      if (!members.contains(p.question()) || !members.contains(p.negation())) {
        throw new InvalidInputException(
            "negation pair " + p.question().id() + " / " + p.negation().id()
                + " names an item that is not in the set");
      }
    }
  }

  /**
   * Creates a set without negation pairs.
   *
   * @param questions the labelled questions
   * @return the set
   */
  public static LabelledSet of(List<LabelledQuestion> questions) {
    return new LabelledSet(questions, List.of());
  }

  /**
   * Loads a JSONL set whose image paths are relative to the file's directory.
   *
   * @param jsonl the JSONL file
   * @return the set
   * @throws InvalidInputException naming the file and line for a malformed line, an image path
   *     outside the root, or a missing or unreadable image
   */
  public static LabelledSet load(Path jsonl) {
    Objects.requireNonNull(jsonl, "jsonl");
    Path parent = jsonl.toAbsolutePath().getParent();
    return load(jsonl, parent);
  }

  /**
   * Loads a JSONL set whose image paths are relative to {@code root}.
   *
   * @param jsonl the JSONL file
   * @param root the data set root; no image may resolve outside it
   * @return the set
   * @throws InvalidInputException naming the file and line for a malformed line, an image path
   *     outside the root, or a missing or unreadable image
   */
  public static LabelledSet load(Path jsonl, Path root) {
    return new LabelledSetReader(jsonl, root).read();
  }

  /**
   * Returns the number of labelled questions.
   *
   * @return the size
   */
  public int size() {
    return questions.size();
  }
}
