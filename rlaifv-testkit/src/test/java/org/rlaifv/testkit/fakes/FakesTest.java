package org.rlaifv.testkit.fakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.SamplingParams;

class FakesTest {

  private static final Image IMG = new Image(1, 1, new byte[] {1, 2, 3});
  private static final Prompt P1 = new Prompt("p1", IMG, "describe the image.");
  private static final Prompt P2 = new Prompt("p2", IMG, "describe the image.");

  private static PolarQuestion q(String text) {
    return new PolarQuestion(new Claim(text), text);
  }

  @Test
  void scriptedSamplerRecordsSeedsAndIndices() {
    SamplingParams params = SamplingParams.builder().n(4).baseSeed(99).build();
    ScriptedSampler sampler = ScriptedSampler.of((prompt, seed) -> prompt.id() + ":" + seed);
    List<Response> out = sampler.sample(P1, params);
    assertEquals(4, out.size());
    for (int i = 0; i < 4; i++) {
      Response r = out.get(i);
      assertEquals(i, r.index());
      assertEquals(params.seedFor(i), r.seed());
      assertEquals("p1:" + params.seedFor(i), r.text());
      assertEquals("p1", r.promptId());
    }
    sampler.sampleAll(List.of(P2, P1), params);
    assertEquals(List.of(P1, P2, P1), sampler.prompts());
  }

  @Test
  void scriptedSamplerCyclesOrFollowsAPerPromptScript() {
    SamplingParams params = SamplingParams.builder().n(3).build();
    List<Response> cyc = ScriptedSampler.cycling(List.of("a.", "b.")).sample(P1, params);
    assertEquals(List.of("a.", "b.", "a."), cyc.stream().map(Response::text).toList());

    ScriptedSampler byPrompt = ScriptedSampler.byPrompt(Map.of("p1", List.of("x.", "y.", "z.")));
    assertEquals(List.of("x.", "y.", "z."), byPrompt.sample(P1, params).stream().map(Response::text).toList());
    IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> byPrompt.sample(P2, params));
    assertTrue(unknown.getMessage().contains("prompt p2"), unknown.getMessage());
    IllegalStateException tooMany = assertThrows(IllegalStateException.class,
        () -> byPrompt.sample(P1, params.toBuilder().n(4).build()));
    assertTrue(tooMany.getMessage().contains("has 3 texts for prompt p1 but sample 3"), tooMany.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ScriptedSampler.cycling(List.of()));
  }

  @Test
  void scriptedJudgeAnswersByNormalisedTextAndKnowsNegations() {
    ScriptedJudge judge = ScriptedJudge.builder()
        .answer("Is there a red circle?", true)
        .answer("is there a blue cross?", ScriptedJudge.Answer.of(0.4, 0.5))
        .answer("is there no blue cross?", ScriptedJudge.Answer.of(0.45, 0.45))
        .build();
    List<ClaimVerdict> out = judge.judge(IMG, List.of(
        q("  is there a RED circle? "), q("is there no red circle?"), q("is there a blue cross?"),
        q("is there no blue cross?")));
    assertFalse(out.get(0).rejected());
    assertEquals(0.95, out.get(0).pYes());
    assertTrue(out.get(1).rejected(), "the negation gets the opposite answer");
    assertEquals(0.4, out.get(2).pYes());
    assertTrue(out.get(3).rejected(), "an explicit script wins over a derived negation; a tie rejects");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> judge.judge(IMG, List.of(q("is there a star?"))));
    assertTrue(e.getMessage().contains("\"is there a star?\""), e.getMessage());
    assertEquals(1, judge.calls().size(), "the failed call is not recorded");
    assertEquals(4, judge.calls().get(0).questions().size());
  }

  @Test
  void scriptedJudgeFromAFunctionAndWithAbstentions() {
    ScriptedJudge judge = ScriptedJudge.of(text -> text.contains("red")
        ? ScriptedJudge.Answer.yes() : ScriptedJudge.Answer.abstain());
    List<ClaimVerdict> out = judge.judge(IMG, List.of(q("red?"), q("green?")));
    assertFalse(out.get(0).abstained());
    assertTrue(out.get(1).abstained());
    ScriptedJudge strict = ScriptedJudge.builder().abstainBelow(0.99).otherwise(ScriptedJudge.Answer.yes()).build();
    assertFalse(strict.judge(IMG, List.of(q("anything?"))).get(0).abstained());
    assertTrue(ScriptedJudge.builder().abstainBelow(1.0).otherwise(ScriptedJudge.Answer.of(0.5, 0.4)).build()
        .judge(IMG, List.of(q("anything?"))).get(0).abstained());
    assertThrows(InvalidInputException.class, () -> ScriptedJudge.Answer.of(0.7, 0.7));
    assertThrows(InvalidInputException.class, () -> ScriptedJudge.Answer.of(true, 0.3));
    ScriptedJudge map = ScriptedJudge.fromMap(Map.of("is it red?", false));
    assertTrue(map.judge(IMG, List.of(q("is it red?"))).get(0).rejected());
  }

  @Test
  void scriptedTextGeneratorInOrderByPromptAndByFunction() {
    ScriptedTextGenerator seq = ScriptedTextGenerator.inOrder("one", "two");
    assertEquals("one", seq.generate("a"));
    assertEquals(List.of("two"), seq.generateAll(List.of("b")));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> seq.generate("c"));
    assertTrue(e.getMessage().contains("has 2 outputs but was called 3 times"), e.getMessage());
    assertEquals(List.of("a", "b", "c"), seq.prompts());

    ScriptedTextGenerator map = ScriptedTextGenerator.byPrompt(Map.of("split: x", "### Facts:\n- x."));
    assertEquals("### Facts:\n- x.", map.generate("split: x"));
    assertThrows(IllegalStateException.class, () -> map.generate("split: y"));

    ScriptedTextGenerator fn = ScriptedTextGenerator.of(p -> p.toUpperCase(java.util.Locale.ROOT));
    assertEquals("ABC", fn.generate("abc"));
  }

  @Test
  void constantAndRandomJudges() {
    List<PolarQuestion> qs = List.of(q("is there a red circle?"), q("is there a cross?"));
    assertTrue(ConstantJudge.alwaysYes().judge(IMG, qs).stream().noneMatch(ClaimVerdict::rejected));
    assertTrue(ConstantJudge.alwaysNo().judge(IMG, qs).stream().allMatch(ClaimVerdict::rejected));
    assertThrows(InvalidInputException.class, () -> ConstantJudge.of(0.9, 0.9));

    List<ClaimVerdict> a = new RandomJudge(1).judge(IMG, qs);
    List<ClaimVerdict> b = new RandomJudge(2).judge(IMG, qs);
    assertNotEquals(a.get(0).pYes(), b.get(0).pYes(), "seeds give different answers");
    assertNotEquals(a.get(0).pYes(), a.get(1).pYes(), "questions give different answers");
    Image other = new Image(1, 1, new byte[] {9, 9, 9});
    assertNotEquals(a.get(0).pYes(), new RandomJudge(1).judge(other, qs).get(0).pYes(), "images too");
    for (ClaimVerdict v : a) {
      assertTrue(v.pYes() + v.pNo() >= 0.8 - 1e-12 && !v.abstained());
    }
    // About half of many random answers are yes.
    int yes = 0;
    RandomJudge r = new RandomJudge(5);
    for (int i = 0; i < 400; i++) {
      if (!r.judge(IMG, List.of(q("question " + i + "?"))).get(0).rejected()) {
        yes++;
      }
    }
    assertTrue(yes > 150 && yes < 250, "yes answers: " + yes);
  }
}
