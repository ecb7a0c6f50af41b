package org.rlaifv.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlaifv.Claim;
import org.rlaifv.PolarQuestion;
import org.rlaifv.TextGenerator;
import org.rlaifv.core.text.LlmListParser;
import org.rlaifv.core.text.PromptedClaimSplitter;
import org.rlaifv.core.text.PromptedPolarQuestioner;
import org.rlaifv.djl.model.LoadedCausalLm;
import org.rlaifv.spi.BackendOptions;

/**
 * RLAIF-V's divide step (the prompted claim splitter, then the prompted questioner) on a real
 * causal LM directory: the reference's random Llama-3-style model, whose outputs are gibberish, so
 * this checks the plumbing: each stage makes one batched generator call with the stage's prompts,
 * the prompts reach the model inside its chat template, batched outputs are the one-by-one
 * outputs, and outputs without a readable list are counted rather than crashing the stage.
 */
class PromptedOnCausalLmTest {

  /** Records every batch of prompts and the outputs the model gave. */
  static final class Recording implements TextGenerator {
    final DjlTextGenerator inner;
    final List<List<String>> prompts = new ArrayList<>();
    final List<List<String>> outputs = new ArrayList<>();

    Recording(DjlTextGenerator inner) {
      this.inner = inner;
    }

    @Override
    public String generate(String prompt) {
      throw new AssertionError("the prompted stages send batches");
    }

    @Override
    public List<String> generateAll(List<String> batch) {
      List<String> out = inner.generateAll(batch);
      prompts.add(List.copyOf(batch));
      outputs.add(out);
      return out;
    }
  }

  @Test
  void theDivideStepRunsOnALocalLlm() throws Exception {
    try (LoadedCausalLm lm =
            LoadedCausalLm.load(DjlTextGeneratorParityTest.TextCases.dir("llama-untied-f32"), Device.cpu());
        DjlTextGenerator llm = new DjlTextGenerator(lm, TextGenerator.greedy(24),
            BackendOptions.defaults(), false)) {
      Recording rec = new Recording(llm);
      List<String> responses = List.of(
          "There is a red circle on the left . I think it looks lovely .", "  ",
          "The square is blue and small .");

      PromptedClaimSplitter splitter = new PromptedClaimSplitter(rec);
      List<List<Claim>> claims = splitter.splitAll(responses);
      assertEquals(1, rec.prompts.size(), "one batched call for the claim-splitting prompts");
      List<String> asked = List.of(PromptedClaimSplitter.prompt(responses.get(0)),
          PromptedClaimSplitter.prompt(responses.get(2)));
      assertEquals(asked, rec.prompts.get(0), "the blank response is not sent");
      String rendered = lm.renderPrompt(asked.get(0));
      assertTrue(rendered.startsWith("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n")
          && rendered.contains("### Description:\nThere is a red circle on the left .")
          && rendered.endsWith("<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n"),
          rendered);
      List<String> splitOutputs = rec.outputs.get(0);
      for (int i = 0; i < asked.size(); i++) {
        assertEquals(llm.generate(asked.get(i)), splitOutputs.get(i), "batched equals alone");
      }
      LlmListParser facts = new LlmListParser(PromptedClaimSplitter.HEADER);
      assertEquals(claimsOf(facts.parse(splitOutputs.get(0))), claims.get(0));
      assertEquals(List.of(), claims.get(1));
      assertEquals(claimsOf(facts.parse(splitOutputs.get(1))), claims.get(2));
      assertEquals(2, splitter.calls());
      assertEquals(2, splitter.parser().outputs());
      assertEquals(facts.emptyOutputs(), splitter.parser().emptyOutputs(),
          "outputs without a fact are counted");
      assertTrue(splitter.parser().emptyOutputs() > 0,
          "the random model writes no list, so the parse failures show up in the counters");

      // the questioner on hand-written claims (the random model's own claims may be none)
      List<List<Claim>> perResponse = List.of(
          List.of(new Claim("There is a red circle."), new Claim("The circle is on the left.")),
          List.of(),
          List.of(new Claim("The square is blue.")));
      PromptedPolarQuestioner questioner = new PromptedPolarQuestioner(rec);
      List<List<PolarQuestion>> questions = questioner.questionsAll(perResponse);
      assertEquals(2, rec.prompts.size(), "one batched call for the question-writing prompts");
      assertEquals(List.of(PromptedPolarQuestioner.prompt(perResponse.get(0)),
          PromptedPolarQuestioner.prompt(perResponse.get(2))), rec.prompts.get(1));
      LlmListParser modified = new LlmListParser(PromptedPolarQuestioner.HEADER);
      long mismatches = 0;
      int k = 0;
      for (int i = 0; i < perResponse.size(); i++) {
        if (perResponse.get(i).isEmpty()) {
          assertEquals(List.of(), questions.get(i));
          continue;
        }
        List<String> parsed = modified.parse(rec.outputs.get(1).get(k++));
        if (parsed.size() != perResponse.get(i).size()) {
          mismatches++;
        } else {
          assertEquals(parsed, questions.get(i).stream().map(PolarQuestion::question).toList());
        }
        assertTrue(questions.get(i).size() <= perResponse.get(i).size());
      }
      assertEquals(mismatches, questioner.countMismatches(), "count mismatches are counted");
      assertTrue(mismatches > 0, "the random model's gibberish does not match the claim count");
      assertEquals(modified.emptyOutputs(), questioner.parser().emptyOutputs());
      assertEquals(2, questioner.calls());
    }
  }

  private static List<Claim> claimsOf(List<String> items) {
    return items.stream().map(Claim::new).toList();
  }
}
