package org.rlaifv;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.EqualsTester;
import com.google.common.testing.NullPointerTester;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rlaifv.spi.BackendOptions;

/**
 * Every public record of the API refuses null where a value is required (Guava's {@link
 * NullPointerTester} over constructors, factories and methods) and has value equality (Guava's
 * {@link EqualsTester}: equal when every component is, consistent hash codes, unequal to other
 * values and to null).
 *
 * <p>Null is refused with {@link NullPointerException}, except where a record reports it as a
 * value a user wrote: an {@link Image}'s pixels and {@link DpoConfig}'s enums (read from
 * configuration files) give an {@link InvalidInputException} naming the field, checked here
 * separately; and {@link Provenance#with(String, Object)} records a null value as {@code "null"}.
 */
class RecordNullsAndEqualityTest {
  @TempDir static Path modelDirectory;

  private static final Image IMAGE = new Image(1, 1, new byte[] {1, 2, 3});
  private static final Claim CLAIM = new Claim("there is a cat.");
  private static final PolarQuestion QUESTION = new PolarQuestion(CLAIM, "is there a cat?");
  private static final ClaimVerdict VERDICT = new ClaimVerdict(QUESTION, 0.8, 0.1, false);
  private static final Prompt PROMPT = new Prompt("p1", IMAGE, "describe the image.");
  private static final Response RESPONSE = new Response("p1", 0, "there is a cat.", 7, 4);
  private static final Response OTHER_RESPONSE = new Response("p1", 1, "there is a dog.", 8, 4);
  private static final ScoredResponse SCORED = new ScoredResponse(RESPONSE, List.of(VERDICT));
  private static final ScoredResponse OTHER_SCORED = new ScoredResponse(OTHER_RESPONSE, List.of());
  private static final HolisticVerdict HOLISTIC =
      new HolisticVerdict("is this it? there is a cat.", 0.7, 0.9, false);
  private static final ChoiceQuestion CHOICE =
      new ChoiceQuestion("rate it: one or two?", List.of("one", "two"));
  private static final Checkpoint CHECKPOINT = Checkpoint.of(Path.of("models", "policy"));
  private static final PreferencePair PAIR = new PreferencePair(PROMPT, OTHER_SCORED, SCORED);
  private static final DpoConfig DPO = DpoConfig.builder().build();
  private static final TrainingMetrics METRICS = new TrainingMetrics(1, 0.5, Map.of("loss", 0.7));

  /** A tester whose default arguments pass every record's validation. */
  private static NullPointerTester tester() {
    return new NullPointerTester()
        // "cpu" is a valid device as well as a valid id, text and key.
        .setDefault(String.class, "cpu")
        .setDefault(int.class, 1)
        .setDefault(long.class, 1L)
        .setDefault(double.class, 0.5)
        // An existing directory: a checkpoint's provenance digests its weights.
        .setDefault(Path.class, modelDirectory)
        .setDefault(Checkpoint.class, Checkpoint.of(modelDirectory))
        .setDefault(Image.class, IMAGE)
        .setDefault(Claim.class, CLAIM)
        .setDefault(PolarQuestion.class, QUESTION)
        .setDefault(ClaimVerdict.class, VERDICT)
        .setDefault(Prompt.class, PROMPT)
        .setDefault(Response.class, RESPONSE)
        .setDefault(ScoredResponse.class, SCORED)
        .setDefault(HolisticVerdict.class, HOLISTIC)
        .setDefault(ChoiceQuestion.class, CHOICE)
        .setDefault(DpoConfig.class, DPO)
        .setDefault(TrainingMetrics.class, METRICS)
        .setDefault(TrainingListener.class, TrainingListener.NONE)
        .setDefault(Provenance.class, Provenance.named("tokenizer"));
  }

  static Stream<Object> values() {
    return Stream.of(
        IMAGE,
        CLAIM,
        QUESTION,
        VERDICT,
        PROMPT,
        RESPONSE,
        SCORED,
        HOLISTIC,
        ScoredResponse.holistic(OTHER_RESPONSE, HOLISTIC),
        CHOICE,
        new ChoiceVerdict(CHOICE, List.of(0.25, 0.5), false),
        new Candidates(PROMPT, List.of(SCORED, OTHER_SCORED)),
        PAIR,
        CHECKPOINT,
        DPO,
        SamplingParams.builder().build(),
        METRICS,
        new TrainingResult(List.of(CHECKPOINT), List.of(METRICS)),
        new TrainingRequest(CHECKPOINT, CHECKPOINT, List.of(PAIR), DPO, Path.of("out"), TrainingListener.NONE),
        Provenance.named("sampler").with("n", 3).withPart("tokenizer", Provenance.named("tokenizer")),
        BackendOptions.defaults());
  }

  @ParameterizedTest
  @MethodSource("values")
  void constructorsFactoriesAndMethodsRejectNull(Object value) throws NoSuchMethodException {
    NullPointerTester t = tester();
    // A setting's value may be null by contract: it is recorded as "null".
    t.ignore(Provenance.class.getMethod("with", String.class, Object.class));
    if (!(value instanceof Image) && !(value instanceof DpoConfig)) {
      t.testAllPublicConstructors(value.getClass());
    }
    t.testAllPublicStaticMethods(value.getClass());
    t.testAllPublicInstanceMethods(value);
  }

  @Test
  void nullPixelsOrEnumsAreInvalidInputNamingTheField() {
    assertTrue(assertThrows(InvalidInputException.class, () -> new Image(1, 1, null))
        .getMessage().contains("pixel array"));
    assertTrue(assertThrows(InvalidInputException.class, () -> DPO.toBuilder().lossType(null).build())
        .getMessage().contains("lossType"));
    assertTrue(assertThrows(InvalidInputException.class, () -> DPO.toBuilder().schedule(null).build())
        .getMessage().contains("schedule"));
  }

  @Test
  void recordsAreEqualExactlyWhenTheirComponentsAre() {
    new EqualsTester()
        .addEqualityGroup(IMAGE, new Image(1, 1, new byte[] {1, 2, 3}))
        .addEqualityGroup(new Image(1, 1, new byte[] {1, 2, 4}))
        .addEqualityGroup(CLAIM, new Claim("there is a cat."))
        .addEqualityGroup(new Claim("there is a dog."))
        .addEqualityGroup(QUESTION, new PolarQuestion(new Claim("there is a cat."), "is there a cat?"))
        .addEqualityGroup(new PolarQuestion(CLAIM, "is a cat there?"))
        .addEqualityGroup(VERDICT, new ClaimVerdict(QUESTION, 0.8, 0.1, false))
        .addEqualityGroup(new ClaimVerdict(QUESTION, 0.8, 0.1, true))
        .addEqualityGroup(new ClaimVerdict(QUESTION, 0.7, 0.1, false))
        .addEqualityGroup(PROMPT, new Prompt("p1", new Image(1, 1, new byte[] {1, 2, 3}), "describe the image."))
        .addEqualityGroup(new Prompt("p2", IMAGE, "describe the image."))
        .addEqualityGroup(RESPONSE, new Response("p1", 0, "there is a cat.", 7, 4))
        .addEqualityGroup(new Response("p1", 0, "there is a cat.", 8, 4))
        .addEqualityGroup(OTHER_RESPONSE)
        .addEqualityGroup(SCORED, new ScoredResponse(RESPONSE, List.of(VERDICT)))
        .addEqualityGroup(OTHER_SCORED)
        .addEqualityGroup(new Candidates(PROMPT, List.of(SCORED, OTHER_SCORED)),
            new Candidates(PROMPT, List.of(SCORED, OTHER_SCORED)))
        .addEqualityGroup(new Candidates(PROMPT, List.of(OTHER_SCORED, SCORED)))
        .addEqualityGroup(PAIR, new PreferencePair(PROMPT, OTHER_SCORED, SCORED))
        .addEqualityGroup(new PreferencePair(PROMPT, SCORED, OTHER_SCORED))
        .addEqualityGroup(CHECKPOINT, Checkpoint.of(Path.of("models", "policy")))
        .addEqualityGroup(Checkpoint.of(Path.of("models", "labeler")))
        .addEqualityGroup(DPO, DpoConfig.builder().build())
        .addEqualityGroup(DPO.toBuilder().beta(0.2).build())
        .addEqualityGroup(SamplingParams.builder().build(), SamplingParams.builder().build())
        .addEqualityGroup(SamplingParams.builder().baseSeed(1).build())
        .addEqualityGroup(SamplingParams.builder().stopSequences(List.of("\n")).build())
        .addEqualityGroup(METRICS, new TrainingMetrics(1, 0.5, new TreeMap<>(Map.of("loss", 0.7))))
        .addEqualityGroup(new TrainingMetrics(2, 0.5, Map.of("loss", 0.7)))
        .addEqualityGroup(new TrainingResult(List.of(CHECKPOINT), List.of(METRICS)),
            new TrainingResult(List.of(CHECKPOINT), List.of(METRICS)))
        .addEqualityGroup(new TrainingResult(List.of(CHECKPOINT), List.of()))
        .addEqualityGroup(Provenance.named("sampler").with("n", 3), Provenance.named("sampler").with("n", "3"))
        .addEqualityGroup(Provenance.named("sampler").with("n", 4))
        .addEqualityGroup(BackendOptions.defaults(), BackendOptions.defaults())
        .addEqualityGroup(BackendOptions.defaults().withBatchSize(3))
        .testEquals();
  }
}
