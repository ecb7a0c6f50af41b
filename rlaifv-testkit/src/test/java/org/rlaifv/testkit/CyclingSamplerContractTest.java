package org.rlaifv.testkit;

import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.rlaifv.Prompt;
import org.rlaifv.ResponseSampler;
import org.rlaifv.testkit.fakes.ScriptedSampler;

/** Runs the sampler contract against {@link ScriptedSampler#cycling}, texts by sample index. */
class CyclingSamplerContractTest extends ResponseSamplerContract {

  @Override
  protected ResponseSampler sampler() {
    return ScriptedSampler.cycling(List.of("there is a red circle.", "there is a blue cross."));
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
