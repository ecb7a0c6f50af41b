package org.rlaifv.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.rlaifv.BackendException;
import org.rlaifv.Claim;
import org.rlaifv.PolarQuestion;
import org.rlaifv.TextGenerator;

class PromptedTextTest {

  /** Records prompts and answers with a function of the prompt. */
  static final class FakeGenerator implements TextGenerator {
    final List<String> prompts = new ArrayList<>();
    int batches;
    private final Function<String, String> answer;

    FakeGenerator(Function<String, String> answer) {
      this.answer = answer;
    }

    @Override
    public String generate(String prompt) {
      prompts.add(prompt);
      return answer.apply(prompt);
    }

    @Override
    public List<String> generateAll(List<String> ps) {
      batches++;
      return ps.stream().map(this::generate).toList();
    }
  }

  private static List<String> texts(List<Claim> claims) {
    return claims.stream().map(Claim::text).toList();
  }

  @Test
  void splitterPromptHoldsTheCutResponseAndAsksForFacts() {
    String longText = String.join(" ", Collections.nCopies(400, "word"));
    String p = PromptedClaimSplitter.prompt(longText);
    assertTrue(p.contains("### Facts:"));
    assertTrue(p.contains("opinions"));
    assertTrue(p.strip().endsWith(String.join(" ", Collections.nCopies(300, "word"))));
    assertTrue(!p.contains(String.join(" ", Collections.nCopies(301, "word"))));
  }

  @Test
  void splitterParsesTheModelOutputAndBatches() {
    FakeGenerator gen = new FakeGenerator(
        prompt -> prompt.contains("two") ? "### Facts:\n- There is a cat.\n- There is a dog."
            : "Sorry, no.");
    PromptedClaimSplitter splitter = new PromptedClaimSplitter(gen);
    List<List<Claim>> out = splitter.splitAll(List.of("two animals", "", "junk"));
    assertEquals(List.of("There is a cat.", "There is a dog."), texts(out.get(0)));
    assertTrue(out.get(1).isEmpty());
    assertTrue(out.get(2).isEmpty());
    assertEquals(1, gen.batches);
    assertEquals(2, gen.prompts.size(), "blank responses are not sent");
    assertEquals(1, splitter.parser().emptyOutputs());
    assertEquals(2, splitter.calls());
  }

  @Test
  void wrongOutputCountIsABackendError() {
    TextGenerator broken = new TextGenerator() {
      @Override
      public String generate(String prompt) {
        return "";
      }

      @Override
      public List<String> generateAll(List<String> prompts) {
        return List.of();
      }
    };
    assertThrows(BackendException.class, () -> new PromptedClaimSplitter(broken).split("a b"));
    assertThrows(BackendException.class,
        () -> new PromptedPolarQuestioner(broken).questions(List.of(new Claim("a b"))));
  }

  @Test
  void questionerPromptListsClaimsInOrder() {
    String p = PromptedPolarQuestioner.prompt(List.of(new Claim("There is a cat."),
        new Claim("The dog is not brown.")));
    assertTrue(p.contains("### Modified sentences:"));
    assertTrue(p.contains("tense"));
    assertTrue(p.contains("negative"));
    assertTrue(p.strip().endsWith("- There is a cat.\n- The dog is not brown."));
  }

  @Test
  void questionerZipsEqualCounts() {
    FakeGenerator gen = new FakeGenerator(prompt ->
        "### Modified sentences:\n1. Is there a cat?\n2. Is the dog not brown?");
    PromptedPolarQuestioner q = new PromptedPolarQuestioner(gen);
    List<Claim> claims = List.of(new Claim("There is a cat."), new Claim("The dog is not brown."));
    List<PolarQuestion> out = q.questions(claims);
    assertEquals(2, out.size());
    assertEquals(claims.get(1), out.get(1).claim());
    assertEquals("Is the dog not brown?", out.get(1).question());
    assertEquals(0, q.countMismatches());
  }

  @Test
  void questionerMapsWhatItCanWhenCountsDiffer() {
    FakeGenerator gen = new FakeGenerator(prompt ->
        "### Modified sentences:\n- Is the dog not brown?\n- Is the sky green?");
    PromptedPolarQuestioner q = new PromptedPolarQuestioner(gen);
    List<Claim> claims = List.of(new Claim("There is a cat."), new Claim("The dog is not brown."),
        new Claim("There is a tree."));
    List<PolarQuestion> out = q.questions(claims);
    assertEquals(1, out.size());
    assertEquals(claims.get(1), out.get(0).claim());
    assertEquals(1, q.countMismatches());
    assertEquals(2, q.unmatchedClaims());
  }

  @Test
  void questionerSkipsEmptyClaimListsAndJunk() {
    FakeGenerator gen = new FakeGenerator(prompt -> "I cannot do that.");
    PromptedPolarQuestioner q = new PromptedPolarQuestioner(gen);
    List<List<PolarQuestion>> out =
        q.questionsAll(List.of(List.of(), List.of(new Claim("There is a cat."))));
    assertTrue(out.get(0).isEmpty());
    assertTrue(out.get(1).isEmpty());
    assertEquals(1, gen.prompts.size());
    assertEquals(1, q.parser().emptyOutputs());
  }
}
