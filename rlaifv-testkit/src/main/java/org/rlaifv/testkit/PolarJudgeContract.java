package org.rlaifv.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;

/**
 * The contract of {@link PolarJudge}, as an abstract JUnit 5 test class: extend it in test
 * sources, supply the judge and sample data, and every implementation is checked the same way.
 *
 * <pre>{@code
 * class MyJudgeContractTest extends PolarJudgeContract {
 *   private static final MyJudge JUDGE = MyJudge.load(Path.of("models/labeler"));
 *
 *   @AfterAll
 *   static void closeJudge() {
 *     JUDGE.close();
 *   }
 *
 *   @Override
 *   protected PolarJudge judge() {
 *     return JUDGE;
 *   }
 *
 *   @Override
 *   protected Image sampleImage() {
 *     return Image.fromFile(Path.of("src/test/resources/scene.png"));
 *   }
 *
 *   @Override
 *   protected List<PolarQuestion> sampleQuestions() {
 *     return List.of(
 *         new PolarQuestion(new Claim("there is a red circle."), "is there a red circle?"),
 *         new PolarQuestion(new Claim("there is a blue cross."), "is there a blue cross?"));
 *   }
 * }
 * }</pre>
 *
 * <p>Checked: probabilities lie in [0, 1] and {@code pYes + pNo <= 1 + eps}; two calls give equal
 * verdicts; a batch gives what single calls give (within {@link #batchTolerance()}); an empty list
 * gives an empty result; a null image, a null list or a null question is rejected with {@link
 * NullPointerException} or {@link InvalidInputException}; one verdict per question, in order, each
 * naming its question, in any order of the batch.
 *
 * <p>{@link #judge()} is called at least once per test; the contract never closes the judge.
 * Expensive judges belong in a static field of the subclass, closed in its own {@code @AfterAll}.
 * A check that does not apply can be overridden and annotated {@code @Disabled} with the reason.
 */
public abstract class PolarJudgeContract {

  /** Creates the contract; subclasses are instantiated by JUnit. */
  protected PolarJudgeContract() {}

  /**
   * Returns the judge under test.
   *
   * @return the judge; the contract does not close it
   */
  protected abstract PolarJudge judge();

  /**
   * Returns an image the sample questions are about.
   *
   * @return the image
   */
  protected abstract Image sampleImage();

  /**
   * Returns at least two distinct questions about {@link #sampleImage()}.
   *
   * @return the questions
   */
  protected abstract List<PolarQuestion> sampleQuestions();

  /**
   * Returns the largest difference allowed between a batched and a single-question probability
   * (default 1e-5).
   *
   * @return the tolerance
   */
  protected double batchTolerance() {
    return 1e-5;
  }

  /**
   * Returns the largest difference allowed between two calls with the same input (default 0:
   * judges are deterministic).
   *
   * @return the tolerance
   */
  protected double repeatTolerance() {
    return 0.0;
  }

  /**
   * Returns the slack allowed on {@code pYes + pNo <= 1} (default {@link
   * ClaimVerdict#MASS_TOLERANCE}).
   *
   * @return the slack
   */
  protected double massTolerance() {
    return ClaimVerdict.MASS_TOLERANCE;
  }

  private List<PolarQuestion> questions() {
    List<PolarQuestion> qs = sampleQuestions();
    assertNotNull(qs, "sampleQuestions() returned null");
    assertTrue(qs.size() >= 2, "sampleQuestions() must give at least two questions, got " + qs.size());
    assertEquals(qs.size(), new HashSet<>(qs).size(), "sampleQuestions() must give distinct questions");
    return List.copyOf(qs);
  }

  private List<ClaimVerdict> judgeChecked(List<PolarQuestion> qs) {
    List<ClaimVerdict> out = judge().judge(sampleImage(), qs);
    assertNotNull(out, "judge returned null for " + qs.size() + " questions");
    assertEquals(qs.size(), out.size(), "judge must return one verdict per question");
    for (int i = 0; i < out.size(); i++) {
      assertNotNull(out.get(i), "verdict " + i + " is null");
    }
    return out;
  }

  /** Every probability is finite and in [0, 1], and {@code pYes + pNo <= 1 + eps}. */
  @Test
  public void probabilitiesAreInUnitIntervalAndSumToAtMostOne() {
    List<PolarQuestion> qs = questions();
    List<ClaimVerdict> out = judgeChecked(qs);
    for (int i = 0; i < out.size(); i++) {
      ClaimVerdict v = out.get(i);
      String where = "verdict on \"" + qs.get(i).question() + "\"";
      assertTrue(v.pYes() >= 0 && v.pYes() <= 1, where + ": pYes " + v.pYes() + " not in [0, 1]");
      assertTrue(v.pNo() >= 0 && v.pNo() <= 1, where + ": pNo " + v.pNo() + " not in [0, 1]");
      assertTrue(v.pYes() + v.pNo() <= 1 + massTolerance(),
          where + ": pYes + pNo = " + (v.pYes() + v.pNo()) + " exceeds 1");
    }
  }

  /** Two calls with the same image and questions give the same verdicts. */
  @Test
  public void isDeterministic() {
    List<PolarQuestion> qs = questions();
    List<ClaimVerdict> first = judgeChecked(qs);
    List<ClaimVerdict> second = judgeChecked(qs);
    for (int i = 0; i < qs.size(); i++) {
      assertClose(first.get(i), second.get(i), repeatTolerance(),
          "second call on \"" + qs.get(i).question() + "\"");
    }
  }

  /** A batch gives, question by question, what single-question calls give. */
  @Test
  public void batchEqualsSingleCalls() {
    List<PolarQuestion> qs = questions();
    List<ClaimVerdict> batch = judgeChecked(qs);
    for (int i = 0; i < qs.size(); i++) {
      List<ClaimVerdict> single = judgeChecked(List.of(qs.get(i)));
      assertClose(single.get(0), batch.get(i), batchTolerance(),
          "batched verdict on \"" + qs.get(i).question() + "\" (position " + i + ")");
    }
  }

  /** The same question twice in one batch gets the same verdict both times. */
  @Test
  public void duplicateQuestionsInOneBatchAgree() {
    PolarQuestion q = questions().get(0);
    List<ClaimVerdict> out = judgeChecked(List.of(q, q));
    assertClose(out.get(0), out.get(1), batchTolerance(),
        "second copy of \"" + q.question() + "\" in one batch");
  }

  /** An empty question list gives an empty result. */
  @Test
  public void emptyInputGivesEmptyOutput() {
    List<ClaimVerdict> out = judge().judge(sampleImage(), List.of());
    assertNotNull(out, "judge returned null for an empty question list");
    assertTrue(out.isEmpty(), "judge returned " + out.size() + " verdicts for no questions");
  }

  /** A null image is rejected with NullPointerException or InvalidInputException. */
  @Test
  public void nullImageIsRejected() {
    List<PolarQuestion> qs = questions();
    assertRejected(() -> judge().judge(null, qs), "a null image");
  }

  /** A null question list is rejected with NullPointerException or InvalidInputException. */
  @Test
  public void nullQuestionListIsRejected() {
    assertRejected(() -> judge().judge(sampleImage(), null), "a null question list");
  }

  /** A null question in the list is rejected with NullPointerException or InvalidInputException. */
  @Test
  public void nullQuestionIsRejected() {
    List<PolarQuestion> qs = new ArrayList<>(questions());
    qs.add(1, null);
    List<PolarQuestion> withNull = Collections.unmodifiableList(qs);
    assertRejected(() -> judge().judge(sampleImage(), withNull), "a null question in the list");
  }

  /** One verdict per question, in input order, each naming its question, whatever the order. */
  @Test
  public void keepsSizeAndOrder() {
    List<PolarQuestion> qs = questions();
    List<ClaimVerdict> forward = judgeChecked(qs);
    List<PolarQuestion> reversedQs = new ArrayList<>(qs);
    Collections.reverse(reversedQs);
    List<ClaimVerdict> backward = judgeChecked(reversedQs);
    int n = qs.size();
    for (int i = 0; i < n; i++) {
      assertEquals(qs.get(i), forward.get(i).question(), "verdict " + i + " answers another question");
      assertEquals(reversedQs.get(i), backward.get(i).question(),
          "verdict " + i + " of the reversed batch answers another question");
      assertClose(forward.get(i), backward.get(n - 1 - i), batchTolerance(),
          "verdict on \"" + qs.get(i).question() + "\" after reversing the batch");
    }
  }

  private static void assertClose(ClaimVerdict expected, ClaimVerdict actual, double tol, String what) {
    double dy = Math.abs(expected.pYes() - actual.pYes());
    double dn = Math.abs(expected.pNo() - actual.pNo());
    if (!(dy <= tol && dn <= tol) || expected.abstained() != actual.abstained()) {
      fail(String.format(Locale.ROOT,
          "%s differs: expected pYes %.8f pNo %.8f abstained %b, got pYes %.8f pNo %.8f abstained %b"
              + " (tolerance %.1e)",
          what, expected.pYes(), expected.pNo(), expected.abstained(),
          actual.pYes(), actual.pNo(), actual.abstained(), tol));
    }
  }

  private static void assertRejected(Runnable call, String what) {
    try {
      call.run();
    } catch (NullPointerException | InvalidInputException expected) {
      return;
    } catch (RuntimeException other) {
      fail("judge must reject " + what + " with NullPointerException or InvalidInputException, threw "
          + other, other);
    }
    fail("judge accepted " + what + " instead of throwing NullPointerException or InvalidInputException");
  }

}
