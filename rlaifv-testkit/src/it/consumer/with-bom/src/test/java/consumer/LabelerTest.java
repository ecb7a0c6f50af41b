package consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.rlaifv.Image;
import org.rlaifv.testkit.JudgeAssertions;
import org.rlaifv.testkit.JudgeHarness;
import org.rlaifv.testkit.JudgeReport;
import org.rlaifv.testkit.LabelledQuestion;
import org.rlaifv.testkit.fakes.ConstantJudge;

class LabelerTest {
  @Test
  void anAlwaysYesJudgeFailsAnAccuracyBound() {
    Image img = new Image(2, 2, new byte[12]);
    JudgeReport report = JudgeHarness.defaults().evaluate(ConstantJudge.alwaysYes(), List.of(
        LabelledQuestion.of("a.png", img, "is there a red circle?", true),
        LabelledQuestion.of("a.png", img, "is there a blue square?", false)));
    assertThrows(AssertionFailedError.class,
        () -> JudgeAssertions.assertThat(report).accuracyAtLeast(0.9));
  }
}
