package org.rlaifv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BuilderRoundTripTest {

  @Test
  void samplingParamsDefaultsFollowTheReference() {
    SamplingParams p = SamplingParams.builder().build();
    assertEquals(10, p.n());
    assertEquals(0.7, p.temperature());
    assertEquals(512, p.maxNewTokens());
    assertEquals(p, p.toBuilder().build());
  }

  @Property(tries = 100)
  void samplingParamsRoundTrip(
      @ForAll @IntRange(min = 1, max = 64) int n,
      @ForAll @DoubleRange(min = 0, max = 5) double temperature,
      @ForAll @DoubleRange(min = 0.01, max = 1) double topP,
      @ForAll @IntRange(min = 0, max = 100) int topK,
      @ForAll @IntRange(min = 1, max = 4096) int maxNewTokens,
      @ForAll long seed) {
    SamplingParams p = SamplingParams.builder().n(n).temperature(temperature).topP(topP).topK(topK)
        .maxNewTokens(maxNewTokens).baseSeed(seed).stopSequences(List.of("\n\n", "###")).build();
    assertEquals(p, p.toBuilder().build());
    assertEquals(p.seedFor(3), p.toBuilder().build().seedFor(3));
  }

  @Test
  void samplingParamsNameTheBadField() {
    assertTrue(assertThrows(InvalidInputException.class,
        () -> SamplingParams.builder().n(0).build()).getMessage().contains("n "));
    assertTrue(assertThrows(InvalidInputException.class,
        () -> SamplingParams.builder().temperature(-1).build()).getMessage()
        .contains("temperature"));
    assertThrows(InvalidInputException.class,
        () -> SamplingParams.builder().temperature(Double.POSITIVE_INFINITY).build());
    assertTrue(assertThrows(InvalidInputException.class,
        () -> SamplingParams.builder().topP(0).build()).getMessage().contains("topP"));
    assertThrows(InvalidInputException.class, () -> SamplingParams.builder().topK(-1).build());
    assertTrue(assertThrows(InvalidInputException.class,
        () -> SamplingParams.builder().maxNewTokens(0).build()).getMessage()
        .contains("maxNewTokens"));
    List<String> withNull = new ArrayList<>();
    withNull.add(null);
    assertThrows(InvalidInputException.class,
        () -> SamplingParams.builder().stopSequences(withNull).build());
  }

  @Test
  void sampleSeedsAreDistinctAndStable() {
    SamplingParams p = SamplingParams.builder().baseSeed(42).build();
    Set<Long> seeds = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      seeds.add(p.seedFor(i));
    }
    assertEquals(1000, seeds.size());
    assertEquals(p.seedFor(5), SamplingParams.builder().baseSeed(42).build().seedFor(5));
    assertNotEquals(p.seedFor(5), SamplingParams.builder().baseSeed(43).build().seedFor(5));
    assertNotEquals(Seeds.mix(1, "p1"), Seeds.mix(1, "p2"));
    assertEquals(Seeds.mix(1, "p1"), Seeds.mix(1, "p1"));
  }

  @Test
  void loraConfigDefaultsRoundTripAndNameTheBadField() {
    LoraConfig l = LoraConfig.builder().build();
    assertEquals(16, l.rank());
    assertEquals(2.0, l.scaling());
    assertEquals(LoraConfig.ALL_PROJECTIONS, l.targetModules());
    assertEquals(l, l.toBuilder().build());
    DpoConfig d = DpoConfig.builder().lora(l).build();
    assertEquals(d, d.toBuilder().build());
    assertNotEquals(d, DpoConfig.builder().build());
    assertTrue(assertThrows(InvalidInputException.class, () -> LoraConfig.builder().rank(0).build())
        .getMessage().contains("rank"));
    assertTrue(assertThrows(InvalidInputException.class, () -> LoraConfig.builder().dropout(1)
        .build()).getMessage().contains("dropout"));
    assertTrue(assertThrows(InvalidInputException.class, () -> LoraConfig.builder()
        .targetModules(List.of()).build()).getMessage().contains("targetModules"));
  }

  @Test
  void dpoConfigDefaultsAndRoundTrip() {
    DpoConfig d = DpoConfig.builder().build();
    assertEquals(0.1, d.beta());
    assertEquals(DpoLossType.SIGMOID, d.lossType());
    assertEquals(0.0, d.nllWeight());
    assertEquals(d, d.toBuilder().build());
    DpoConfig custom = DpoConfig.builder().beta(0.2).lossType(DpoLossType.ROBUST)
        .labelSmoothing(0.1).nllWeight(1).lengthAveraged(true).learningRate(1e-4)
        .schedule(LrSchedule.LINEAR).warmupRatio(0.05).epochs(3).batchSize(16)
        .gradAccumulationSteps(2).maxGradNorm(0).weightDecay(0.01).seed(7)
        .checkpointsPerEpoch(4).build();
    assertEquals(custom, custom.toBuilder().build());
    assertNotEquals(d, custom);
  }

  @Property(tries = 100)
  void dpoConfigRoundTrip(
      @ForAll @DoubleRange(min = 0.01, max = 10) double beta,
      @ForAll DpoLossType type,
      @ForAll @DoubleRange(min = 0, max = 0.49) double eps,
      @ForAll LrSchedule schedule,
      @ForAll @IntRange(min = 1, max = 10) int epochs,
      @ForAll long seed) {
    DpoConfig d = DpoConfig.builder().beta(beta).lossType(type).labelSmoothing(eps)
        .schedule(schedule).epochs(epochs).seed(seed).build();
    assertEquals(d, d.toBuilder().build());
  }

  @Test
  void dpoConfigNamesTheBadField() {
    assertTrue(assertThrows(InvalidInputException.class,
        () -> DpoConfig.builder().beta(0).build()).getMessage().contains("beta"));
    assertTrue(assertThrows(InvalidInputException.class,
        () -> DpoConfig.builder().labelSmoothing(0.5).build()).getMessage()
        .contains("labelSmoothing"));
    assertTrue(assertThrows(InvalidInputException.class,
        () -> DpoConfig.builder().lossType(null).build()).getMessage().contains("lossType"));
    assertTrue(assertThrows(InvalidInputException.class,
        () -> DpoConfig.builder().epochs(0).build()).getMessage().contains("epochs"));
    assertTrue(assertThrows(InvalidInputException.class,
        () -> DpoConfig.builder().learningRate(Double.NaN).build()).getMessage()
        .contains("learningRate"));
    assertTrue(assertThrows(InvalidInputException.class,
        () -> DpoConfig.builder().warmupRatio(1).build()).getMessage().contains("warmupRatio"));
    assertTrue(assertThrows(InvalidInputException.class,
        () -> DpoConfig.builder().checkpointsPerEpoch(0).build()).getMessage()
        .contains("checkpointsPerEpoch"));
  }
}
