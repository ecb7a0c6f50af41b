package org.rlaifv.core.loop;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.rlaifv.Checkpoint;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.Seeds;
import org.rlaifv.core.io.PromptResponses;

/**
 * The SAMPLE stage: {@code n} candidate responses per prompt from the iteration's policy, prompt
 * {@code p} with base seed {@code Seeds.mix(iterationSeed, p.id())}. A worker opens a sampler with
 * the loop's factory and closes it.
 */
final class SampleStage extends ResumableStage<PromptResponses> {
  private final Function<Checkpoint, ? extends ResponseSampler> samplerFactory;
  private final BackendSpec samplerSpec;
  private final SamplingParams samplingParams;

  /**
   * Creates the stage.
   *
   * @param samplerSpec the spec the factory was made from, or null when there is none
   */
  SampleStage(RunContext context, int iteration, Checkpoint policy, long iterationSeed,
      Function<Checkpoint, ? extends ResponseSampler> samplerFactory, BackendSpec samplerSpec,
      SamplingParams samplingParams) {
    super(context, iteration, Stage.SAMPLE, policy, iterationSeed, PromptResponses.class);
    this.samplerFactory = samplerFactory;
    this.samplerSpec = samplerSpec;
    this.samplingParams = samplingParams;
  }

  /** The decoding parameters of one prompt: the loop's, with the prompt's base seed. */
  private SamplingParams paramsFor(Prompt p) {
    return paramsFor(samplingParams, iterationSeed(), p);
  }

  private static SamplingParams paramsFor(SamplingParams params, long iterationSeed, Prompt p) {
    return params.toBuilder().baseSeed(Seeds.mix(iterationSeed, p.id())).build();
  }

  /**
   * Computes one prompt's record, checked: the one computation of a SAMPLE record, whichever JVM
   * runs it.
   */
  static PromptResponses record(ResponseSampler sampler, SamplingParams samplingParams,
      long iterationSeed, Prompt p) {
    SamplingParams params = paramsFor(samplingParams, iterationSeed, p);
    List<Response> out = sampler.sample(p, params);
    RoleChecks.responses(p, params, out);
    return new PromptResponses(p.id(), out);
  }

  @Override
  public Optional<StageSpec> spec() {
    return samplerSpec == null ? Optional.empty() : Optional.of(new StageSpec(stage(),
        iteration(), policy(), iterationSeed(), samplingParams, samplerSpec, null));
  }

  @Override
  String promptId(PromptResponses record) {
    return record.promptId();
  }

  @Override
  int items(PromptResponses record) {
    return record.responses().size();
  }

  @Override
  void check(Prompt prompt, PromptResponses record) {
    RoleChecks.responses(prompt, paramsFor(prompt), record.responses());
  }

  @Override
  public Worker<PromptResponses> openWorker() {
    ResponseSampler sampler = Objects.requireNonNull(
        samplerFactory.apply(policy()), "sampler factory returned null");
    return new Worker<>() {
      @Override
      public PromptResponses run(Prompt p) {
        context.checkInterrupted(iteration(), stage());
        return record(sampler, samplingParams, iterationSeed(), p);
      }

      @Override
      public void close() {
        sampler.close();
      }
    };
  }
}
