package org.rlaifv.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.DpoConfig;
import org.rlaifv.DpoLossType;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.LrSchedule;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Response;
import org.rlaifv.SamplingParams;
import org.rlaifv.ScoredResponse;
import org.rlaifv.TrainingMetrics;

class JsonTest {

  @Property(tries = 200)
  void dpoConfigRoundTrips(@ForAll("dpoConfigs") DpoConfig config) {
    assertEquals(config, Json.fromJson(Json.toJson(config), DpoConfig.class));
  }

  @org.junit.jupiter.api.Test
  void dpoConfigWithAdaptersRoundTrips() {
    DpoConfig c = DpoConfig.builder().lora(org.rlaifv.LoraConfig.builder().rank(8).alpha(16)
        .dropout(0).targetModules(java.util.List.of("q_proj", "v_proj")).includeVision(true)
        .build()).build();
    assertEquals(c, Json.fromJson(Json.toJson(c), DpoConfig.class));
    assertEquals(DpoConfig.builder().build(),
        Json.fromJson(Json.toJson(DpoConfig.builder().build()), DpoConfig.class));
  }

  @Property(tries = 200)
  void samplingParamsRoundTrip(@ForAll("samplingParams") SamplingParams params) {
    assertEquals(params, Json.fromJson(Json.toJson(params), SamplingParams.class));
  }

  @Provide
  Arbitrary<DpoConfig> dpoConfigs() {
    Arbitrary<DpoConfig.Builder> a = Combinators.combine(
            Arbitraries.doubles().between(1e-6, 10).ofScale(8),
            Arbitraries.of(DpoLossType.class),
            Arbitraries.doubles().between(0, 0.49),
            Arbitraries.doubles().between(0, 5),
            Arbitraries.of(true, false),
            Arbitraries.doubles().between(1e-9, 1).ofScale(12),
            Arbitraries.of(LrSchedule.class),
            Arbitraries.doubles().between(0, 0.99))
        .as((beta, loss, eps, nll, avg, lr, sched, warm) -> DpoConfig.builder().beta(beta)
            .lossType(loss).labelSmoothing(eps).nllWeight(nll).lengthAveraged(avg)
            .learningRate(lr).schedule(sched).warmupRatio(warm));
    return Combinators.combine(a, Arbitraries.integers().between(1, 20),
            Arbitraries.integers().between(1, 64), Arbitraries.longs(),
            Arbitraries.doubles().between(0, 10), Arbitraries.integers().between(1, 8))
        .as((b, epochs, batch, seed, clip, cpe) -> b.epochs(epochs).batchSize(batch)
            .gradAccumulationSteps(1 + batch % 4).seed(seed).maxGradNorm(clip).weightDecay(clip / 100)
            .checkpointsPerEpoch(cpe).build());
  }

  @Provide
  Arbitrary<SamplingParams> samplingParams() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 64),
            Arbitraries.doubles().between(0, 3),
            Arbitraries.doubles().between(0.01, 1),
            Arbitraries.integers().between(0, 100),
            Arbitraries.integers().between(1, 4096),
            Arbitraries.longs(),
            Arbitraries.strings().ofMaxLength(8).list().ofMaxSize(3))
        .as((n, t, p, k, max, seed, stops) -> SamplingParams.builder().n(n).temperature(t).topP(p)
            .topK(k).maxNewTokens(max).baseSeed(seed).stopSequences(stops).build());
  }

  @Test
  void scoredResponsesAndMetricsRoundTrip() {
    PolarQuestion q = new PolarQuestion(new Claim("there is a red circle."), "is there a red circle?");
    ScoredResponse s = new ScoredResponse(new Response("p1", 2, "there is a red circle.\n\"q\"", -5L, 7),
        List.of(new ClaimVerdict(q, 0.25, 0.7, false), ClaimVerdict.of(q, 0.01, 0.0, 0.05)));
    assertEquals(s, Json.fromJson(Json.toJson(s), ScoredResponse.class));
    TrainingMetrics m = new TrainingMetrics(3, 0.5, Map.of("loss", 0.5, "grad_norm", Double.NaN));
    TrainingMetrics back = Json.fromJson(Json.toJson(m), TrainingMetrics.class);
    assertEquals(0.5, back.get("loss"));
    assertTrue(Double.isNaN(back.get("grad_norm")));
    assertTrue(!Json.toJson(s).contains("\n"), "one line");
  }

  @Test
  void checkpointIsIdAndPath() {
    Checkpoint c = new Checkpoint("policy-1", Path.of("iter-1/train/checkpoint-1"));
    String json = Json.toJson(c);
    assertEquals("{\"id\":\"policy-1\",\"path\":\"iter-1/train/checkpoint-1\"}", json);
    assertEquals(c, Json.fromJson(json, Checkpoint.class));
    assertThrows(InvalidInputException.class,
        () -> Json.fromJson("{\"id\":\"a\",\"path\":\"b\",\"extra\":1}", Checkpoint.class));
  }

  @Test
  void imagesAreNeverWrittenInline() {
    Image img = new Image(1, 1, new byte[3]);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> Json.toJson(img));
    assertTrue(e.getMessage().contains("by id"), e.getMessage());
  }

  @Test
  void strictReading() {
    assertThrows(InvalidInputException.class,
        () -> Json.fromJson("{\"text\":\"a\",\"surprise\":1}", Claim.class), "unknown property");
    assertThrows(InvalidInputException.class,
        () -> Json.fromJson("{\"text\":\"a\"} {\"text\":\"b\"}", Claim.class), "trailing value");
    assertThrows(InvalidInputException.class,
        () -> Json.fromJson("{\"text\":\"  \"}", Claim.class), "record validation");
    assertThrows(InvalidInputException.class,
        () -> Json.fromJson("{}", Claim.class), "missing component");
    assertThrows(InvalidInputException.class,
        () -> Json.fromJson("{\"promptId\":\"p\",\"index\":null,\"text\":\"\",\"seed\":1,"
            + "\"tokenCount\":0}", Response.class), "null for a primitive");
  }

  @Test
  void readLimitsHold() {
    String deep = "[".repeat(Json.MAX_NESTING_DEPTH + 1) + "]".repeat(Json.MAX_NESTING_DEPTH + 1);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> Json.fromJson(deep, Object.class));
    assertTrue(e.getMessage().toLowerCase().contains("nesting"), e.getMessage());
    String longString = "{\"text\":\"" + "a".repeat(Json.MAX_STRING_LENGTH + 1) + "\"}";
    InvalidInputException e2 = assertThrows(InvalidInputException.class,
        () -> Json.fromJson(longString, Claim.class));
    assertTrue(e2.getMessage().toLowerCase().contains("length"), e2.getMessage());
  }
}
