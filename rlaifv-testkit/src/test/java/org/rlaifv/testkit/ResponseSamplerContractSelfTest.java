package org.rlaifv.testkit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;

/** The sampler contract passes a sampler that keeps it and catches samplers that break it. */
class ResponseSamplerContractSelfTest {
  private static final List<String> WORDS =
      List.of("there", "is", "a", "red", "blue", "circle", "cross", "on", "the", "left", ".");

  /** Decodes like a model: words drawn from the seed's stream, greedy is fixed, stops cut. */
  static final class ToySampler implements ResponseSampler {
    @Override
    public List<Response> sample(Prompt prompt, SamplingParams params) {
      java.util.Objects.requireNonNull(prompt, "prompt");
      List<Response> out = new ArrayList<>();
      for (int i = 0; i < params.n(); i++) {
        out.add(draw(prompt, i, params.seedFor(i), params));
      }
      return out;
    }

    static Response draw(Prompt prompt, int index, long seed, SamplingParams params) {
      SplittableRandom rng = new SplittableRandom(seed ^ prompt.id().hashCode());
      StringBuilder text = new StringBuilder();
      int tokens = 0;
      while (tokens < params.maxNewTokens()) {
        String w = params.greedy() ? WORDS.get(tokens % WORDS.size()) : WORDS.get(rng.nextInt(WORDS.size()));
        text.append(tokens == 0 ? "" : " ").append(w);
        tokens++;
        for (String stop : params.stopSequences()) {
          int at = text.indexOf(stop);
          if (at >= 0) {
            return new Response(prompt.id(), index, text.substring(0, at).strip(), seed, tokens);
          }
        }
      }
      return new Response(prompt.id(), index, text.toString(), seed, tokens);
    }
  }

  private static ResponseSamplerContract contractFor(ResponseSampler sampler) {
    return new ResponseSamplerContract() {
      @Override
      protected ResponseSampler sampler() {
        return sampler;
      }

      @Override
      protected List<Prompt> samplePrompts() {
        return ContractSamples.prompts();
      }
    };
  }

  private static String fails(Runnable test) {
    return assertThrows(AssertionFailedError.class, test::run).getMessage();
  }

  @Test
  void aSamplerKeepingTheContractPassesEveryCheck() {
    ResponseSamplerContract c = contractFor(new ToySampler());
    c.returnsNResponsesInIndexOrderWithTheirSeeds();
    c.isDeterministic();
    c.aSampleDependsOnItsSeedNotOnHowManyAreDrawn();
    c.sampleAllGivesWhatSampleGivesInAnyPromptOrder();
    c.differentSeedsGiveDifferentSamples();
    c.greedyDecodingIgnoresTheSeed();
    c.aStopSequenceCutsTheTextBeforeIt();
    c.emptyPromptListGivesEmptyOutput();
    c.nullPromptIsRejected();
    c.nullParamsAreRejected();
    c.nullPromptListOrNullPromptInItIsRejected();
    c.provenanceIsStable();
  }

  @Test
  void catchesWrongSeedsAndOrder() {
    ResponseSampler offByOne = (prompt, params) -> {
      List<Response> out = new ArrayList<>();
      for (int i = 0; i < params.n(); i++) {
        out.add(ToySampler.draw(prompt, i, params.seedFor(i + 1), params));
      }
      return out;
    };
    String m = fails(contractFor(offByOne)::returnsNResponsesInIndexOrderWithTheirSeeds);
    assertTrue(m.contains("response 0 must record its seed params.seedFor(0)"), m);
    ResponseSampler reversed = (prompt, params) -> {
      List<Response> out = new ArrayList<>(new ToySampler().sample(prompt, params));
      Collections.reverse(out);
      return out;
    };
    m = fails(contractFor(reversed)::returnsNResponsesInIndexOrderWithTheirSeeds);
    assertTrue(m.contains("has another index: responses must be in index order"), m);
  }

  @Test
  void catchesASampleThatDependsOnHowManyAreDrawn() {
    ResponseSampler batchDependent = (prompt, params) -> {
      List<Response> out = new ArrayList<>();
      for (int i = 0; i < params.n(); i++) {
        Response r = ToySampler.draw(prompt, i, params.seedFor(i) + params.n(), params);
        out.add(new Response(r.promptId(), i, r.text(), params.seedFor(i), r.tokenCount()));
      }
      return out;
    };
    String m = fails(contractFor(batchDependent)::aSampleDependsOnItsSeedNotOnHowManyAreDrawn);
    assertTrue(m.contains("differ when only 1 are drawn"), m);
  }

  @Test
  void catchesABatchThatDependsOnPromptOrder() {
    ToySampler toy = new ToySampler();
    ResponseSampler orderDependent = new ResponseSampler() {
      @Override
      public List<Response> sample(Prompt prompt, SamplingParams params) {
        return toy.sample(prompt, params);
      }

      @Override
      public List<List<Response>> sampleAll(List<Prompt> prompts, SamplingParams params) {
        List<List<Response>> out = new ArrayList<>();
        for (int p = 0; p < prompts.size(); p++) {
          // The first prompt of a batch gets a different base seed.
          out.add(sample(prompts.get(p), p == 0 ? params : params.toBuilder().baseSeed(9).build()));
        }
        return out;
      }
    };
    String m = fails(contractFor(orderDependent)::sampleAllGivesWhatSampleGivesInAnyPromptOrder);
    assertTrue(m.contains("must record its seed") || m.contains("differ from sample's"), m);
  }

  @Test
  void catchesNonDeterminismAndIgnoredSeeds() {
    AtomicInteger calls = new AtomicInteger();
    ResponseSampler drifting = (prompt, params) ->
        new ToySampler().sample(prompt, params.toBuilder().baseSeed(calls.incrementAndGet()).build())
            .stream().map(r -> new Response(r.promptId(), r.index(), r.text(),
                params.seedFor(r.index()), r.tokenCount())).toList();
    String m = fails(contractFor(drifting)::isDeterministic);
    assertTrue(m.contains("second call on prompt p1 differs"), m);
    ResponseSampler seedBlind = (prompt, params) ->
        new ToySampler().sample(prompt, params).stream()
            .map(r -> new Response(r.promptId(), r.index(), "there is a red circle.", r.seed(), 5))
            .toList();
    m = fails(contractFor(seedBlind)::differentSeedsGiveDifferentSamples);
    assertTrue(m.contains("the seeds make no difference"), m);
  }

  @Test
  void catchesGreedyDecodingThatSamples() {
    ResponseSampler hot = (prompt, params) ->
        new ToySampler().sample(prompt, params.greedy() ? params.toBuilder().temperature(1).build() : params);
    String m = fails(contractFor(hot)::greedyDecodingIgnoresTheSeed);
    assertTrue(m.contains("greedy sample 1 of prompt p1 differs from sample 0"), m);
  }

  @Test
  void catchesIgnoredOrMisplacedStopSequences() {
    ResponseSampler deaf = (prompt, params) ->
        new ToySampler().sample(prompt, params.toBuilder().stopSequences(List.of()).build());
    String m = fails(contractFor(deaf)::aStopSequenceCutsTheTextBeforeIt);
    assertTrue(m.contains("with stop sequence"), m);
    ResponseSampler keepsTheStop = (prompt, params) -> {
      List<Response> free = new ToySampler().sample(prompt, params.toBuilder().stopSequences(List.of()).build());
      List<Response> out = new ArrayList<>();
      for (Response r : free) {
        String text = r.text();
        for (String stop : params.stopSequences()) {
          int at = text.indexOf(stop);
          if (at >= 0) {
            text = text.substring(0, at + stop.length());
            break;
          }
        }
        out.add(new Response(r.promptId(), r.index(), text, r.seed(), r.tokenCount()));
      }
      return out;
    };
    fails(contractFor(keepsTheStop)::aStopSequenceCutsTheTextBeforeIt);
  }

  @Test
  void catchesSamplersThatAcceptNulls() {
    ResponseSampler lenient = new ResponseSampler() {
      @Override
      public List<Response> sample(Prompt prompt, SamplingParams params) {
        return prompt == null || params == null ? List.of() : new ToySampler().sample(prompt, params);
      }

      @Override
      public List<List<Response>> sampleAll(List<Prompt> prompts, SamplingParams params) {
        List<List<Response>> out = new ArrayList<>();
        if (prompts != null) {
          for (Prompt p : prompts) {
            out.add(sample(p, params));
          }
        }
        if (out.isEmpty()) {
          out.add(List.of());
        }
        return out;
      }
    };
    ResponseSamplerContract c = contractFor(lenient);
    assertTrue(fails(c::nullPromptIsRejected).contains("accepted a null prompt"));
    assertTrue(fails(c::nullParamsAreRejected).contains("accepted null sampling parameters"));
    assertTrue(fails(c::nullPromptListOrNullPromptInItIsRejected).contains("accepted a null prompt list"));
    assertTrue(fails(c::emptyPromptListGivesEmptyOutput).contains("returned 1 lists for no prompts"));
  }

  @Test
  void catchesAnUnstableProvenance() {
    AtomicInteger calls = new AtomicInteger();
    ResponseSampler restless = new ResponseSampler() {
      @Override
      public List<Response> sample(Prompt prompt, SamplingParams params) {
        return new ToySampler().sample(prompt, params);
      }

      @Override
      public Provenance provenance() {
        return Provenance.of(this).with("call", calls.incrementAndGet());
      }
    };
    assertTrue(fails(contractFor(restless)::provenanceIsStable).contains("changed between two calls"));
  }
}
