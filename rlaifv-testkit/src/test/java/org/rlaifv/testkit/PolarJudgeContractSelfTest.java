package org.rlaifv.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.testkit.fakes.RandomJudge;

/** The contract catches judges that break it. */
class PolarJudgeContractSelfTest {

  private static PolarJudgeContract contractFor(PolarJudge judge) {
    return new PolarJudgeContract() {
      @Override
      protected PolarJudge judge() {
        return judge;
      }

      @Override
      protected Image sampleImage() {
        return ContractSamples.image();
      }

      @Override
      protected List<PolarQuestion> sampleQuestions() {
        return ContractSamples.questions();
      }
    };
  }

  private static String fails(Runnable test) {
    return assertThrows(AssertionFailedError.class, test::run).getMessage();
  }

  @Test
  void catchesANonDeterministicJudge() {
    AtomicInteger calls = new AtomicInteger();
    PolarJudge drifting = (image, questions) -> new RandomJudge(calls.incrementAndGet()).judge(image, questions);
    String m = fails(contractFor(drifting)::isDeterministic);
    assertTrue(m.contains("second call on \"is there a red circle?\" differs"), m);
  }

  @Test
  void catchesABatchThatDiffersFromSingleCalls() {
    // Shifts probability towards yes the larger the batch is.
    PolarJudge batchDependent = (image, questions) -> {
      List<ClaimVerdict> out = new ArrayList<>();
      for (PolarQuestion q : questions) {
        out.add(new ClaimVerdict(q, 0.1 * questions.size(), 0.05, false));
      }
      return out;
    };
    String m = fails(contractFor(batchDependent)::batchEqualsSingleCalls);
    assertTrue(m.contains("batched verdict on \"is there a red circle?\" (position 0) differs"), m);
  }

  @Test
  void catchesAJudgeThatReordersOrDropsVerdicts() {
    RandomJudge base = new RandomJudge(1);
    PolarJudge reversing = (image, questions) -> {
      List<ClaimVerdict> out = new ArrayList<>(base.judge(image, questions));
      Collections.reverse(out);
      return out;
    };
    String m = fails(contractFor(reversing)::keepsSizeAndOrder);
    assertTrue(m.contains("verdict 0 answers another question"), m);
    PolarJudge dropping = (image, questions) ->
        questions.isEmpty() ? List.of() : base.judge(image, questions.subList(1, questions.size()));
    fails(contractFor(dropping)::keepsSizeAndOrder);
  }

  @Test
  void catchesJudgesThatAcceptNullsOrAnswerEmptyInput() {
    PolarJudge lenient = (image, questions) -> {
      List<ClaimVerdict> out = new ArrayList<>();
      if (questions == null) {
        return out;
      }
      for (PolarQuestion q : questions) {
        if (q != null) {
          out.add(new ClaimVerdict(q, 0.5, 0.5, false));
        }
      }
      if (out.isEmpty()) {
        out.add(new ClaimVerdict(ContractSamples.questions().get(0), 0.5, 0.5, false));
      }
      return out;
    };
    PolarJudgeContract contract = contractFor(lenient);
    assertTrue(fails(contract::nullImageIsRejected).contains("accepted a null image"));
    assertTrue(fails(contract::nullQuestionListIsRejected).contains("accepted a null question list"));
    assertTrue(fails(contract::nullQuestionIsRejected).contains("accepted a null question in the list"));
    assertTrue(fails(contract::emptyInputGivesEmptyOutput).contains("returned 1 verdicts for no questions"));
  }

  @Test
  void catchesTheWrongExceptionType() {
    PolarJudge picky = (image, questions) -> {
      throw new IllegalArgumentException("no");
    };
    String m = fails(contractFor(picky)::nullImageIsRejected);
    assertTrue(m.contains("with NullPointerException or InvalidInputException, threw"), m);
  }
}
