package org.rlaifv.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;

/**
 * The contract of {@link ResponseSampler}, as an abstract JUnit 5 test class: extend it in test
 * sources, supply the sampler and sample prompts, and every implementation is checked the same way.
 *
 * <pre>{@code
 * class MySamplerContractTest extends ResponseSamplerContract {
 *   private static final ResponseSampler SAMPLER =
 *       Backends.get("djl").newSampler(Checkpoint.of(Path.of("models/policy")), BackendOptions.defaults());
 *
 *   @AfterAll
 *   static void closeSampler() {
 *     SAMPLER.close();
 *   }
 *
 *   @Override
 *   protected ResponseSampler sampler() {
 *     return SAMPLER;
 *   }
 *
 *   @Override
 *   protected List<Prompt> samplePrompts() {
 *     Image image = Image.fromFile(Path.of("src/test/resources/scene.png"));
 *     return List.of(
 *         new Prompt("p1", image, "Describe the image."),
 *         new Prompt("p2", image, "What is on the left?"));
 *   }
 * }
 * }</pre>
 *
 * <p>Checked: {@code params.n()} responses per prompt, in index order, each naming its prompt,
 * recording the seed {@code params.seedFor(i)} and at most {@code maxNewTokens} tokens; two calls
 * give equal responses; a sample's text depends on its seed only, not on how many samples are
 * drawn with it; {@link ResponseSampler#sampleAll} gives what {@link ResponseSampler#sample} gives,
 * prompt by prompt, in prompt order, whatever the order of the prompts; different seeds give
 * different texts; greedy decoding (temperature 0) gives one text whatever the seed; a stop
 * sequence ends a sample, cut before it; an empty prompt list gives an empty result; a null prompt,
 * prompt list or parameter set is rejected with {@link NullPointerException} or {@link
 * InvalidInputException}; the provenance is stable.
 *
 * <p>{@link #sampler()} is called at least once per test; the contract never closes the sampler.
 * Expensive samplers belong in a static field of the subclass, closed in its own
 * {@code @AfterAll}. A check that does not apply (a scripted sampler does not decode, so has no
 * greedy mode) can be overridden and annotated {@code @Disabled} with the reason.
 */
public abstract class ResponseSamplerContract {

  /** Creates the contract; subclasses are instantiated by JUnit. */
  protected ResponseSamplerContract() {}

  /**
   * Returns the sampler under test.
   *
   * @return the sampler; the contract does not close it
   */
  protected abstract ResponseSampler sampler();

  /**
   * Returns at least two prompts with distinct ids.
   *
   * @return the prompts
   */
  protected abstract List<Prompt> samplePrompts();

  /**
   * Returns the sampling parameters of the checks: random decoding with at least two samples per
   * prompt, long enough that a sample has two words (default: n 3, temperature 1, 12 new tokens,
   * base seed 11).
   *
   * @return the parameters; the checks derive greedy, shorter and stopped variants from them
   */
  protected SamplingParams samplingParams() {
    return SamplingParams.builder().n(3).temperature(1.0).maxNewTokens(12).baseSeed(11).build();
  }

  private List<Prompt> prompts() {
    List<Prompt> ps = samplePrompts();
    assertNotNull(ps, "samplePrompts() returned null");
    assertTrue(ps.size() >= 2, "samplePrompts() must give at least two prompts, got " + ps.size());
    Set<String> ids = new HashSet<>();
    for (Prompt p : ps) {
      assertTrue(ids.add(p.id()), "samplePrompts() must give distinct prompt ids, " + p.id() + " repeats");
    }
    return List.copyOf(ps);
  }

  private SamplingParams params() {
    SamplingParams p = samplingParams();
    assertNotNull(p, "samplingParams() returned null");
    assertTrue(p.n() >= 2 && !p.greedy(),
        "samplingParams() must draw at least two samples at a temperature above 0, got " + p);
    return p;
  }

  /** Samples one prompt and checks the shape of the answer. */
  private List<Response> sampleChecked(Prompt prompt, SamplingParams params) {
    List<Response> out = sampler().sample(prompt, params);
    checkShape(prompt, params, out, "sample(" + prompt.id() + ")");
    return out;
  }

  private List<List<Response>> sampleAllChecked(List<Prompt> prompts, SamplingParams params) {
    List<List<Response>> out = sampler().sampleAll(prompts, params);
    assertNotNull(out, "sampleAll returned null for " + prompts.size() + " prompts");
    assertEquals(prompts.size(), out.size(), "sampleAll must return one list per prompt");
    for (int i = 0; i < prompts.size(); i++) {
      checkShape(prompts.get(i), params, out.get(i), "sampleAll, list " + i);
    }
    return out;
  }

  private static void checkShape(Prompt prompt, SamplingParams params, List<Response> out, String call) {
    assertNotNull(out, call + " returned null");
    assertEquals(params.n(), out.size(), call + " must return n = " + params.n() + " responses");
    for (int i = 0; i < out.size(); i++) {
      Response r = out.get(i);
      String where = call + ", response " + i;
      assertNotNull(r, where + " is null");
      assertEquals(prompt.id(), r.promptId(), where + " names another prompt");
      assertEquals(i, r.index(), where + " has another index: responses must be in index order");
      assertEquals(params.seedFor(i), r.seed(), where + " must record its seed params.seedFor(" + i + ")");
      assertTrue(r.tokenCount() <= params.maxNewTokens(),
          where + " has " + r.tokenCount() + " tokens, more than maxNewTokens " + params.maxNewTokens());
    }
  }

  private static List<String> texts(List<Response> rs) {
    return rs.stream().map(Response::text).toList();
  }

  /** {@code n} responses per prompt, in index order, naming the prompt and recording their seeds. */
  @Test
  public void returnsNResponsesInIndexOrderWithTheirSeeds() {
    SamplingParams params = params();
    for (Prompt p : prompts()) {
      sampleChecked(p, params);
    }
  }

  /** Two calls with the same prompt and parameters give equal responses. */
  @Test
  public void isDeterministic() {
    SamplingParams params = params();
    for (Prompt p : prompts()) {
      assertEquals(sampleChecked(p, params), sampleChecked(p, params),
          "second call on prompt " + p.id() + " differs");
    }
  }

  /**
   * A sample's text depends on its seed only: drawing fewer samples gives the first ones of a
   * larger draw, whatever the sampler batches together.
   */
  @Test
  public void aSampleDependsOnItsSeedNotOnHowManyAreDrawn() {
    SamplingParams params = params();
    Prompt p = prompts().get(0);
    List<Response> all = sampleChecked(p, params);
    for (int k = 1; k < params.n(); k++) {
      List<Response> fewer = sampleChecked(p, params.toBuilder().n(k).build());
      assertEquals(all.subList(0, k), fewer,
          "the first " + k + " of " + params.n() + " samples of prompt " + p.id()
              + " differ when only " + k + " are drawn");
    }
  }

  /** {@code sampleAll} gives, prompt by prompt and in prompt order, what {@code sample} gives. */
  @Test
  public void sampleAllGivesWhatSampleGivesInAnyPromptOrder() {
    SamplingParams params = params();
    List<Prompt> ps = prompts();
    List<List<Response>> forward = sampleAllChecked(ps, params);
    for (int i = 0; i < ps.size(); i++) {
      assertEquals(sampleChecked(ps.get(i), params), forward.get(i),
          "sampleAll's responses to prompt " + ps.get(i).id() + " (position " + i
              + ") differ from sample's");
    }
    List<Prompt> reversed = new ArrayList<>(ps);
    Collections.reverse(reversed);
    List<List<Response>> backward = sampleAllChecked(reversed, params);
    int n = ps.size();
    for (int i = 0; i < n; i++) {
      assertEquals(forward.get(i), backward.get(n - 1 - i),
          "responses to prompt " + ps.get(i).id() + " change when the prompts are reversed");
    }
  }

  /** Different seeds give different samples: at least two distinct texts over the prompts. */
  @Test
  public void differentSeedsGiveDifferentSamples() {
    SamplingParams params = params();
    for (Prompt p : prompts()) {
      Set<String> distinct = new HashSet<>(texts(sampleChecked(p, params)));
      if (distinct.size() > 1) {
        return;
      }
    }
    fail("every prompt got " + params.n() + " identical samples at temperature "
        + params.temperature() + ": the seeds make no difference");
  }

  /** Greedy decoding (temperature 0) gives one text for every sample and every base seed. */
  @Test
  public void greedyDecodingIgnoresTheSeed() {
    SamplingParams greedy = params().toBuilder().temperature(0).build();
    for (Prompt p : prompts()) {
      List<String> a = texts(sampleChecked(p, greedy));
      List<String> b = texts(sampleChecked(p, greedy.toBuilder().baseSeed(greedy.baseSeed() + 1).build()));
      for (int i = 1; i < a.size(); i++) {
        assertEquals(a.get(0), a.get(i), "greedy sample " + i + " of prompt " + p.id() + " differs from sample 0");
      }
      for (int i = 0; i < b.size(); i++) {
        assertEquals(a.get(0), b.get(i),
            "greedy sample " + i + " of prompt " + p.id() + " changes with the base seed");
      }
    }
  }

  /**
   * A stop sequence ends a sample: the text is what the same seed gives without it, cut before its
   * first occurrence, and holds no stop sequence. The stop sequence is the second word of a sample
   * drawn without one.
   */
  @Test
  public void aStopSequenceCutsTheTextBeforeIt() {
    SamplingParams params = params();
    Prompt prompt = null;
    List<Response> free = null;
    String stop = null;
    for (Prompt p : prompts()) {
      List<Response> rs = sampleChecked(p, params);
      for (Response r : rs) {
        String[] words = r.text().strip().split("\\s+");
        if (words.length >= 2) {
          prompt = p;
          free = rs;
          stop = words[1];
          break;
        }
      }
      if (stop != null) {
        break;
      }
    }
    if (stop == null) {
      fail("no sample of samplingParams() has two words; raise maxNewTokens to test stop sequences");
    }
    SamplingParams stopped = params.toBuilder().stopSequences(List.of(stop)).build();
    List<Response> cut = sampleChecked(prompt, stopped);
    for (int i = 0; i < cut.size(); i++) {
      String full = free.get(i).text();
      int at = full.indexOf(stop);
      String want = at < 0 ? full : full.substring(0, at).strip();
      String where = "sample " + i + " of prompt " + prompt.id() + " with stop sequence \"" + stop + "\"";
      assertEquals(want, cut.get(i).text(), where + " (without it: \"" + full + "\")");
      assertTrue(cut.get(i).tokenCount() <= free.get(i).tokenCount(),
          where + " has more tokens than without the stop sequence");
    }
  }

  /** An empty prompt list gives an empty result. */
  @Test
  public void emptyPromptListGivesEmptyOutput() {
    List<List<Response>> out = sampler().sampleAll(List.of(), params());
    assertNotNull(out, "sampleAll returned null for an empty prompt list");
    assertTrue(out.isEmpty(), "sampleAll returned " + out.size() + " lists for no prompts");
  }

  /** A null prompt is rejected with NullPointerException or InvalidInputException. */
  @Test
  public void nullPromptIsRejected() {
    SamplingParams params = params();
    assertRejected(() -> sampler().sample(null, params), "a null prompt");
  }

  /** Null parameters are rejected with NullPointerException or InvalidInputException. */
  @Test
  public void nullParamsAreRejected() {
    Prompt p = prompts().get(0);
    assertRejected(() -> sampler().sample(p, null), "null sampling parameters");
    List<Prompt> ps = prompts();
    assertRejected(() -> sampler().sampleAll(ps, null), "null sampling parameters to sampleAll");
  }

  /** A null prompt list, or a null prompt in it, is rejected. */
  @Test
  public void nullPromptListOrNullPromptInItIsRejected() {
    SamplingParams params = params();
    assertRejected(() -> sampler().sampleAll(null, params), "a null prompt list");
    List<Prompt> withNull = new ArrayList<>(prompts());
    withNull.add(1, null);
    List<Prompt> view = Collections.unmodifiableList(withNull);
    assertRejected(() -> sampler().sampleAll(view, params), "a null prompt in the list");
  }

  /** The provenance, which a resumed run compares, is not null and the same on every call. */
  @Test
  public void provenanceIsStable() {
    Provenance first = sampler().provenance();
    assertNotNull(first, "provenance() returned null");
    assertEquals(first, sampler().provenance(), "provenance() changed between two calls");
  }

  private static void assertRejected(Runnable call, String what) {
    try {
      call.run();
    } catch (NullPointerException | InvalidInputException expected) {
      return;
    } catch (RuntimeException other) {
      fail("sampler must reject " + what + " with NullPointerException or InvalidInputException,"
          + " threw " + other, other);
    }
    fail("sampler accepted " + what + " instead of throwing NullPointerException or InvalidInputException");
  }
}
