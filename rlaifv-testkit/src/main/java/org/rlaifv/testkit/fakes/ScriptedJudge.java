package org.rlaifv.testkit.fakes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.testkit.JudgeHarness;

/**
 * A judge whose answers are scripted by question text: a fake labeler for testing loops and
 * harness code without a model. The image is ignored (but must not be null).
 *
 * <pre>{@code
 * ScriptedJudge judge = ScriptedJudge.builder()
 *     .answer("is there a red circle?", true)
 *     .answer("is there a blue cross?", ScriptedJudge.Answer.of(0.2, 0.7))
 *     .otherwise(ScriptedJudge.Answer.no())
 *     .build();
 * }</pre>
 *
 * <p>Question text is matched after trimming and lower-casing. A question with no script and no
 * fallback fails the call with {@link IllegalStateException} naming it. Every call is recorded
 * ({@link #calls()}). Thread-safe.
 */
public final class ScriptedJudge implements PolarJudge {

  /** Abstention threshold on {@code pYes + pNo} unless the builder sets another. */
  public static final double DEFAULT_ABSTAIN_BELOW = 0.1;

  /**
   * A scripted answer: the probabilities of yes and of no.
   *
   * @param pYes probability of yes, in [0, 1]
   * @param pNo probability of no, in [0, 1]; {@code pYes + pNo <= 1}
   */
  public record Answer(double pYes, double pNo) {
    /**
     * Validates the probabilities.
     *
     * @throws InvalidInputException when a value is outside [0, 1] or they sum above 1
     */
    public Answer {
      if (!(pYes >= 0 && pYes <= 1 && pNo >= 0 && pNo <= 1)
          || pYes + pNo > 1 + ClaimVerdict.MASS_TOLERANCE) {
        throw new InvalidInputException(
            "scripted answer needs pYes, pNo in [0, 1] with pYes + pNo <= 1, got " + pYes + ", " + pNo);
      }
    }

    /**
     * Returns an answer with the given probabilities.
     *
     * @param pYes probability of yes
     * @param pNo probability of no
     * @return the answer
     */
    public static Answer of(double pYes, double pNo) {
      return new Answer(pYes, pNo);
    }

    /**
     * Returns a confident yes (pYes 0.95, pNo 0.05).
     *
     * @return the answer
     */
    public static Answer yes() {
      return new Answer(0.95, 0.05);
    }

    /**
     * Returns a confident no (pYes 0.05, pNo 0.95).
     *
     * @return the answer
     */
    public static Answer no() {
      return new Answer(0.05, 0.95);
    }

    /**
     * Returns yes or no with the given confidence split between the two words.
     *
     * @param yes whether the answer is yes
     * @param confidence probability of the chosen answer, in [0.5, 1]
     * @return the answer
     * @throws InvalidInputException when the confidence is outside [0.5, 1]
     */
    public static Answer of(boolean yes, double confidence) {
      if (!(confidence >= 0.5 && confidence <= 1)) {
        throw new InvalidInputException("confidence must be in [0.5, 1], got " + confidence);
      }
      return yes ? new Answer(confidence, 1 - confidence) : new Answer(1 - confidence, confidence);
    }

    /**
     * Returns an abstention: almost no mass on either word (pYes 0.01, pNo 0.01).
     *
     * @return the answer
     */
    public static Answer abstain() {
      return new Answer(0.01, 0.01);
    }

    /**
     * Returns the answer with yes and no swapped.
     *
     * @return the opposite answer
     */
    public Answer opposite() {
      return new Answer(pNo, pYes);
    }
  }

  /**
   * One recorded call.
   *
   * @param image the image passed
   * @param questions the question texts, in order
   */
  public record Call(Image image, List<String> questions) {
    /** Copies the list. */
    public Call {
      Objects.requireNonNull(image, "image");
      questions = List.copyOf(questions);
    }
  }

  private final Function<String, Optional<Answer>> script;
  private final double abstainBelow;
  private final List<Call> calls = new ArrayList<>();

  private ScriptedJudge(Function<String, Optional<Answer>> script, double abstainBelow) {
    this.script = script;
    this.abstainBelow = abstainBelow;
  }

  /**
   * Creates a judge that answers every question with a function of its text.
   *
   * @param answers maps the question text (as given) to the answer; must not return null
   * @return the judge
   */
  public static ScriptedJudge of(Function<String, Answer> answers) {
    Objects.requireNonNull(answers, "answers");
    return new ScriptedJudge(q -> Optional.of(answers.apply(q)), DEFAULT_ABSTAIN_BELOW);
  }

  /**
   * Creates a judge from a map of question text to yes (true) or no (false), answered with
   * confidence 0.95; see {@link Builder#answer(String, boolean)} for the negations it also knows.
   *
   * @param answers question text to gold answer
   * @return the judge
   */
  public static ScriptedJudge fromMap(Map<String, Boolean> answers) {
    Builder b = builder();
    answers.forEach(b::answer);
    return b.build();
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Answers each question from the script, in order.
   *
   * @param image the image; must not be null, otherwise ignored
   * @param questions the questions; no nulls
   * @return one verdict per question
   * @throws NullPointerException when the image, list or a question is null
   * @throws IllegalStateException naming a question the script has no answer for
   */
  @Override
  public List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(questions, "questions");
    List<ClaimVerdict> out = new ArrayList<>(questions.size());
    List<String> texts = new ArrayList<>(questions.size());
    for (int i = 0; i < questions.size(); i++) {
      PolarQuestion q = Objects.requireNonNull(questions.get(i), "question " + i);
      Answer a = script.apply(q.question())
          .orElseThrow(() -> new IllegalStateException(
              "ScriptedJudge has no answer for question \"" + q.question() + "\""));
      out.add(ClaimVerdict.of(q, a.pYes(), a.pNo(), abstainBelow));
      texts.add(q.question());
    }
    synchronized (calls) {
      calls.add(new Call(image, texts));
    }
    return out;
  }

  /**
   * Returns the calls made so far, in order.
   *
   * @return a snapshot of the recorded calls
   */
  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  static String key(String question) {
    return question.strip().toLowerCase(Locale.ROOT);
  }

  /** Builder for {@link ScriptedJudge}. */
  public static final class Builder {
    private final Map<String, Answer> explicit = new HashMap<>();
    private final Map<String, Answer> negations = new HashMap<>();
    private Function<String, Answer> otherwise;
    private double abstainBelow = DEFAULT_ABSTAIN_BELOW;

    private Builder() {}

    /**
     * Scripts a confident (0.95) yes or no for a question. When the harness can negate the
     * question ({@link JudgeHarness#negate(String)}), the negation gets the opposite answer
     * unless it is scripted itself.
     *
     * @param question the question text
     * @param yes true for yes
     * @return this builder
     */
    public Builder answer(String question, boolean yes) {
      return answer(question, yes ? Answer.yes() : Answer.no());
    }

    /**
     * Scripts the probabilities for a question, and the opposite for its negation as in {@link
     * #answer(String, boolean)}.
     *
     * @param question the question text
     * @param answer the answer
     * @return this builder
     */
    public Builder answer(String question, Answer answer) {
      Objects.requireNonNull(question, "question");
      Objects.requireNonNull(answer, () -> "answer to " + question);
      explicit.put(key(question), answer);
      JudgeHarness.negate(question).ifPresent(n -> negations.put(key(n), answer.opposite()));
      return this;
    }

    /**
     * Sets the answer to questions with no script.
     *
     * @param answer the fallback answer
     * @return this builder
     */
    public Builder otherwise(Answer answer) {
      Objects.requireNonNull(answer, "answer");
      this.otherwise = q -> answer;
      return this;
    }

    /**
     * Sets a function answering questions with no script.
     *
     * @param answers maps the question text to an answer; must not return null
     * @return this builder
     */
    public Builder otherwise(Function<String, Answer> answers) {
      this.otherwise = Objects.requireNonNull(answers, "answers");
      return this;
    }

    /**
     * Sets the abstention threshold: a verdict abstains when {@code pYes + pNo} is below it
     * (default {@link #DEFAULT_ABSTAIN_BELOW}).
     *
     * @param threshold in [0, 1]
     * @return this builder
     * @throws InvalidInputException when outside [0, 1]
     */
    public Builder abstainBelow(double threshold) {
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new InvalidInputException("abstainBelow must be in [0, 1], got " + threshold);
      }
      this.abstainBelow = threshold;
      return this;
    }

    /**
     * Builds the judge.
     *
     * @return the judge
     */
    public ScriptedJudge build() {
      Map<String, Answer> table = new HashMap<>(negations);
      table.putAll(explicit);
      Map<String, Answer> frozen = Map.copyOf(table);
      Function<String, Answer> fallback = otherwise;
      return new ScriptedJudge(q -> {
        Answer a = frozen.get(key(q));
        if (a == null && fallback != null) {
          a = Objects.requireNonNull(fallback.apply(q), () -> "fallback answer to " + q);
        }
        return Optional.ofNullable(a);
      }, abstainBelow);
    }
  }
}
