package org.rlaifv.testkit.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.rlaifv.ChoiceJudge;
import org.rlaifv.ChoiceQuestion;
import org.rlaifv.ChoiceVerdict;
import org.rlaifv.Image;

/**
 * A choice judge whose answers are scripted: a fake labeler for testing rating scorers and other
 * {@link ChoiceJudge} users without a model. The image is ignored (but must not be null).
 *
 * <pre>{@code
 * ScriptedChoiceJudge judge = ScriptedChoiceJudge.of(q ->
 *     q.question().contains("red") ? List.of(0.0, 0.1, 0.9) : List.of(0.8, 0.1, 0.1));
 * }</pre>
 *
 * <p>The script returns one probability per option of the question; a verdict abstains when they
 * sum under the threshold. A script that returns the wrong number of probabilities, or invalid
 * ones, fails the call with the {@link org.rlaifv.InvalidInputException} of {@link ChoiceVerdict}.
 * Every call is recorded ({@link #calls()}). Thread-safe.
 */
public final class ScriptedChoiceJudge implements ChoiceJudge {

  /** Abstention threshold on the options' mass unless another is given. */
  public static final double DEFAULT_ABSTAIN_BELOW = 0.1;

  /**
   * One recorded call.
   *
   * @param image the image asked about
   * @param questions the questions asked, in order
   */
  public record Call(Image image, List<ChoiceQuestion> questions) {
    /** Copies the list. */
    public Call {
      Objects.requireNonNull(image, "image");
      questions = List.copyOf(questions);
    }
  }

  private final Function<ChoiceQuestion, List<Double>> script;
  private final double abstainBelow;
  private final List<Call> calls = new ArrayList<>();

  private ScriptedChoiceJudge(Function<ChoiceQuestion, List<Double>> script, double abstainBelow) {
    this.script = Objects.requireNonNull(script, "script");
    this.abstainBelow = abstainBelow;
  }

  /**
   * Creates a judge answering by a script, abstaining under {@link #DEFAULT_ABSTAIN_BELOW}.
   *
   * @param script one probability per option of each question
   * @return the judge
   */
  public static ScriptedChoiceJudge of(Function<ChoiceQuestion, List<Double>> script) {
    return new ScriptedChoiceJudge(script, DEFAULT_ABSTAIN_BELOW);
  }

  /**
   * Creates a judge answering by a script with its own abstention threshold.
   *
   * @param script one probability per option of each question
   * @param abstainBelow abstention threshold on the options' mass, in [0, 1]
   * @return the judge
   */
  public static ScriptedChoiceJudge of(Function<ChoiceQuestion, List<Double>> script,
      double abstainBelow) {
    return new ScriptedChoiceJudge(script, abstainBelow);
  }

  @Override
  public List<ChoiceVerdict> judge(Image image, List<ChoiceQuestion> questions) {
    Objects.requireNonNull(image, "image");
    synchronized (calls) {
      calls.add(new Call(image, questions));
    }
    List<ChoiceVerdict> out = new ArrayList<>(questions.size());
    for (ChoiceQuestion q : questions) {
      out.add(ChoiceVerdict.of(q, script.apply(q), abstainBelow));
    }
    return out;
  }

  /**
   * Returns the calls made so far, in order.
   *
   * @return a copy of the recorded calls
   */
  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }
}
