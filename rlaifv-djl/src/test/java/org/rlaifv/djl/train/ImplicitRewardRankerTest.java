package org.rlaifv.djl.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.TeacherForcing;
import org.rlaifv.djl.model.TeacherForcingBatch;

class ImplicitRewardRankerTest {
  @TempDir Path dir;

  @BeforeAll
  static void oneThread() {
    TrainFixtures.oneThread();
  }

  private static final List<String> SAMPLES =
      List.of("there is a red circle .", "there is a blue square on the left .", "a", "",
          "there is a green triangle on the right . there is a red circle .");

  /** Summed log-prob of one response alone (batch of one), independent of the ranker. */
  private static double[] logpAlone(LoadedVlm vlm, Image image, String text) {
    try (NDManager m = vlm.model().manager().newSubManager()) {
      TeacherForcingBatch b =
          TeacherForcing.batch(vlm, m, List.of(image), List.of(TrainFixtures.PROMPT), List.of(text));
      var logits = vlm.model().forward(b.inputsEmbeds(), b.attentionMask(), b.positionIds(), null);
      return new double[] {
        TeacherForcing.sequenceLogProbs(logits, b).getFloat(0), b.targetMask().sum().getFloat()
      };
    }
  }

  @Test
  void rewardsMatchTheClosedFormInBothForms() {
    Image image = TrainFixtures.solid(2);
    double beta = 0.25;
    try (LoadedVlm policy = TrainFixtures.create(dir, 1);
        LoadedVlm reference = TrainFixtures.create(dir, 2)) {
      var ranker = new ImplicitRewardRanker(policy, reference, beta, 2);
      var sum = ranker.rank(image, TrainFixtures.PROMPT, SAMPLES, ImplicitRewardRanker.Form.SUM);
      var norm =
          ranker.rank(image, TrainFixtures.PROMPT, SAMPLES, ImplicitRewardRanker.Form.LENGTH_NORMALIZED);
      List<Double> want = new ArrayList<>();
      for (int i = 0; i < SAMPLES.size(); i++) {
        double[] pi = logpAlone(policy, image, SAMPLES.get(i));
        double[] ref = logpAlone(reference, image, SAMPLES.get(i));
        double r = beta * (pi[0] - ref[0]);
        assertEquals(r, sum.rewards().get(i), 1e-4, "sum reward " + i);
        assertEquals(r / pi[1], norm.rewards().get(i), 1e-4, "normalised reward " + i);
        assertEquals((int) pi[1], sum.tokens().get(i));
        want.add(r / pi[1]);
      }
      assertEquals(1, sum.tokens().get(3)); // the empty response is just the end token
      List<Integer> order =
          IntStream.range(0, SAMPLES.size()).boxed()
              .sorted(Comparator.comparingDouble((Integer i) -> want.get(i)).reversed())
              .toList();
      assertEquals(order, norm.order());
      assertEquals(order.get(0), norm.best());
      assertEquals(want.get(order.get(0)), norm.bestReward(), 1e-4);
    }
  }

  @Test
  void identicalPolicyAndReferenceTieAtZeroInInputOrder() {
    try (LoadedVlm vlm = TrainFixtures.create(dir, 4)) {
      var r = new ImplicitRewardRanker(vlm, vlm, 0.1)
          .rank(TrainFixtures.solid(0), TrainFixtures.PROMPT, SAMPLES, ImplicitRewardRanker.Form.SUM);
      for (double v : r.rewards()) {
        assertEquals(0.0, v, 0.0);
      }
      assertEquals(List.of(0, 1, 2, 3, 4), r.order());
      assertThrows(InvalidInputException.class,
          () -> new ImplicitRewardRanker(vlm, vlm, 0.1)
              .rank(TrainFixtures.solid(0), TrainFixtures.PROMPT, List.of(), ImplicitRewardRanker.Form.SUM));
      assertTrue(r.best() == 0);
    }
  }
}
