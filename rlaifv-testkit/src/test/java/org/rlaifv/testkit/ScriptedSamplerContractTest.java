package org.rlaifv.testkit;

import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.rlaifv.Prompt;
import org.rlaifv.ResponseSampler;
import org.rlaifv.testkit.fakes.ScriptedSampler;

/** Runs the sampler contract against {@link ScriptedSampler}, texts a function of prompt and seed. */
class ScriptedSamplerContractTest extends ResponseSamplerContract {
  private static final List<String> COLOURS = List.of("red", "green", "blue", "yellow", "black");

  @Override
  protected ResponseSampler sampler() {
    return ScriptedSampler.of((prompt, seed) ->
        "there is a " + COLOURS.get((int) Math.floorMod(seed, (long) COLOURS.size()))
            + " circle for " + prompt.id() + ".");
  }

  @Override
  protected List<Prompt> samplePrompts() {
    return ContractSamples.prompts();
  }

  @Override
  @Disabled("a scripted sampler returns its script's text; it has no temperature")
  public void greedyDecodingIgnoresTheSeed() {}

  @Override
  @Disabled("a scripted sampler returns its script's text as written, stop sequences included")
  public void aStopSequenceCutsTheTextBeforeIt() {}
}
