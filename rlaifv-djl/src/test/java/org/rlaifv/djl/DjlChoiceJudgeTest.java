package org.rlaifv.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.ChoiceQuestion;
import org.rlaifv.ChoiceVerdict;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.ModelFormatException;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.spi.BackendOptions;

class DjlChoiceJudgeTest {
  @TempDir static Path dir;
  static LoadedVlm vlm;

  @BeforeAll
  static void open() {
    vlm = TinyVlms.create(dir, 23);
  }

  @AfterAll
  static void close() {
    vlm.close();
  }

  @Test
  void yesNoChoiceGivesThePolarJudgesProbabilities() {
    // Options "yes" and "no" sum the same first ids ("yes", "Yes", " yes", " Yes") as the polar
    // judge, so asking the polar judge's full text must give its pYes and pNo.
    List<String> polar = List.of("is there a red circle ?", "is there a blue square on the top"
        + " left ?", "is there a cross ?");
    try (DjlPolarJudge pj = new DjlPolarJudge(vlm, BackendOptions.defaults(), false);
        DjlChoiceJudge cj = new DjlChoiceJudge(vlm, BackendOptions.defaults().withBatchSize(2),
            false)) {
      Image img = TinyVlms.image(5, 16);
      List<ClaimVerdict> expected = pj.judge(img, DjlRolesTest.questions(polar.toArray(
          String[]::new)));
      List<ChoiceQuestion> qs = polar.stream().map(q -> new ChoiceQuestion(
          q + DjlPolarJudge.ANSWER_INSTRUCTION, List.of("yes", "no"))).toList();
      List<ChoiceVerdict> got = cj.judge(img, qs);
      assertEquals(qs.size(), got.size());
      for (int i = 0; i < qs.size(); i++) {
        assertEquals(qs.get(i), got.get(i).question());
        assertEquals(expected.get(i).pYes(), got.get(i).probabilities().get(0), 1e-6);
        assertEquals(expected.get(i).pNo(), got.get(i).probabilities().get(1), 1e-6);
      }
    }
  }

  @Test
  void batchedAnswersMatchAnswersAloneAndMixedOptionSets() {
    try (DjlChoiceJudge cj = new DjlChoiceJudge(vlm, BackendOptions.defaults().withBatchSize(2),
        false)) {
      Image img = TinyVlms.image(9, 16);
      ChoiceQuestion colour = new ChoiceQuestion("is the circle red green or blue ?",
          List.of("red", "green", "blue"));
      ChoiceQuestion place = new ChoiceQuestion("is the square on the left or right ?",
          List.of("left", "right"));
      ChoiceQuestion colour2 = new ChoiceQuestion("is the cross red green or blue ?",
          List.of("red", "green", "blue"));
      List<ChoiceVerdict> all = cj.judge(img, List.of(colour, place, colour2));
      assertEquals(List.of(colour, place, colour2),
          all.stream().map(ChoiceVerdict::question).toList());
      for (int i = 0; i < 3; i++) {
        ChoiceVerdict alone = cj.judge(img, List.of(all.get(i).question())).get(0);
        for (int k = 0; k < alone.probabilities().size(); k++) {
          assertEquals(alone.probabilities().get(k), all.get(i).probabilities().get(k), 1e-5);
        }
        assertTrue(all.get(i).mass() > 0 && all.get(i).mass() <= 1);
      }
      assertEquals(List.of(), cj.judge(img, List.of()));
    }
  }

  @Test
  void abstainsUnderTheThresholdAndRefusesUnknownOptions() {
    Image img = TinyVlms.image(3, 16);
    try (DjlChoiceJudge strict = new DjlChoiceJudge(vlm,
        BackendOptions.defaults().withAbstainBelow(1.0), false)) {
      ChoiceVerdict v = strict.judge(img, List.of(new ChoiceQuestion("is it red or blue ?",
          List.of("red", "blue")))).get(0);
      assertTrue(v.abstained(), "a random model puts less than all its mass on two words");
    }
    try (DjlChoiceJudge cj = new DjlChoiceJudge(vlm, BackendOptions.defaults(), false)) {
      ModelFormatException e = assertThrows(ModelFormatException.class, () -> cj.judge(img,
          List.of(new ChoiceQuestion("is it a or b ?", List.of("red", "zebra")))));
      assertTrue(e.getMessage().contains("zebra"), e.getMessage());
    }
  }
}
