package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.SamplingParams;
import org.rlaifv.djl.DjlPolarJudge;
import org.rlaifv.djl.DjlResponseSampler;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.core.hf.PromptFormat;
import org.rlaifv.spi.BackendOptions;

/** The ONNX Runtime roles behave as the DJL roles on the same weights. */
class RoleParityTest {
  @TempDir static Path tmp;
  private static LoadedVlm djl;
  private static Path onnx;

  @BeforeAll
  static void setUp() throws Exception {
    Path dir = TinyModels.djlModel(tmp, 21, 64, 2);
    onnx = TinyModels.exported(dir);
    djl = LoadedVlm.load(dir, Device.cpu());
  }

  @AfterAll
  static void tearDown() {
    djl.close();
  }

  static List<PolarQuestion> questions() {
    List<PolarQuestion> qs = new ArrayList<>();
    for (String q :
        List.of(
            "is there a red circle ?",
            "is there a blue square on the top left ?",
            "is there a green cross ?",
            "is there a yellow triangle on the bottom right ?",
            "is there a circle ?")) {
      qs.add(new PolarQuestion(new Claim(q), q));
    }
    return qs;
  }

  @Test
  void judgesGiveTheSameProbabilities() {
    BackendOptions options = BackendOptions.defaults().withBatchSize(3).withAbstainBelow(0.01);
    try (DjlPolarJudge dj = new DjlPolarJudge(djl, options, false);
        OrtPolarJudge oj = OrtPolarJudge.open(Checkpoint.of(onnx), options)) {
      for (int img = 0; img < 3; img++) {
        var image = TinyModels.image(img);
        List<ClaimVerdict> d = dj.judge(image, questions());
        List<ClaimVerdict> o = oj.judge(image, questions());
        assertEquals(d.size(), o.size());
        for (int i = 0; i < d.size(); i++) {
          assertEquals(d.get(i).pYes(), o.get(i).pYes(), 1e-5, "pYes of question " + i);
          assertEquals(d.get(i).pNo(), o.get(i).pNo(), 1e-5, "pNo of question " + i);
          assertEquals(d.get(i).abstained(), o.get(i).abstained());
          assertTrue(o.get(i).pYes() + o.get(i).pNo() > 0.01, "yes/no mass must be visible");
        }
        // Batch composition does not change an answer.
        List<ClaimVerdict> alone = oj.judge(image, questions().subList(1, 2));
        assertEquals(o.get(1).pYes(), alone.get(0).pYes(), 1e-5);
      }
    }
  }

  @Test
  void judgesAgreeWhenTheImageFollowsTheQuestion() throws Exception {
    // Nothing image-bearing is shared, so both judges run each question on its own.
    Path dir =
        TinyModels.djlModel(
            tmp,
            22,
            v -> TinyModels.config(v, 32, 1),
            PromptFormat.withTemplate("USER: {prompt} <image> ASSISTANT:"));
    Path exported = TinyModels.exported(dir);
    BackendOptions options = BackendOptions.defaults();
    try (LoadedVlm model = LoadedVlm.load(dir, Device.cpu());
        DjlPolarJudge dj = new DjlPolarJudge(model, options, false);
        OrtPolarJudge oj = OrtPolarJudge.open(Checkpoint.of(exported), options)) {
      var image = TinyModels.image(9);
      List<ClaimVerdict> d = dj.judge(image, questions());
      List<ClaimVerdict> o = oj.judge(image, questions());
      for (int i = 0; i < d.size(); i++) {
        assertEquals(d.get(i).pYes(), o.get(i).pYes(), 1e-5, "pYes of question " + i);
        assertEquals(d.get(i).pNo(), o.get(i).pNo(), 1e-5, "pNo of question " + i);
      }
    }
  }

  @Test
  void stopSequencesCutTheSameText() {
    compare(
        SamplingParams.builder()
            .n(4)
            .temperature(1.5)
            .maxNewTokens(12)
            .baseSeed(3)
            .stopSequences(List.of("circle", "."))
            .build());
  }

  @Test
  void reexportingSamplerSamplesTheCheckpointItWasGiven() throws Exception {
    Path dir = TinyModels.djlModel(tmp, 23, 32, 1);
    var factory =
        OrtPolicies.reexportingSampler(
            org.rlaifv.djl.export.OnnxExporter::exportForSampling, tmp.resolve("exports"), BackendOptions.defaults());
    SamplingParams p = SamplingParams.builder().n(3).temperature(1).maxNewTokens(8).build();
    Prompt prompt = new Prompt("p", TinyModels.image(1), "describe the image .");
    try (LoadedVlm model = LoadedVlm.load(dir, Device.cpu());
        DjlResponseSampler ds = new DjlResponseSampler(model, BackendOptions.defaults(), false);
        var os = factory.apply(new Checkpoint("iter-1", dir))) {
      Path export = tmp.resolve("exports/iter-1");
      assertTrue(java.nio.file.Files.isRegularFile(export.resolve(OrtModel.SHARED_PREFIX_DECODER)));
      assertTrue(
          !java.nio.file.Files.exists(export.resolve(OrtModel.DECODER)),
          "an export for sampling leaves out the Optimum decoder, which the sampler does not read");
      assertEquals(ds.sample(prompt, p), os.sample(prompt, p));
    }
  }

  @Test
  void greedyTextIsTheSame() {
    SamplingParams p = SamplingParams.builder().n(2).temperature(0).maxNewTokens(12).build();
    compare(p);
  }

  @Test
  void seededSamplesAreTheSame() {
    SamplingParams p =
        SamplingParams.builder().n(6).temperature(1.0).maxNewTokens(12).baseSeed(5).build();
    compare(p);
    compare(p.toBuilder().topK(5).topP(0.9).baseSeed(9).build());
  }

  private static void compare(SamplingParams params) {
    BackendOptions options = BackendOptions.defaults().withBatchSize(4);
    try (DjlResponseSampler ds = new DjlResponseSampler(djl, options, false);
        OrtResponseSampler os = OrtResponseSampler.open(Checkpoint.of(onnx), options)) {
      List<Prompt> prompts = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Prompt prompt = new Prompt("p" + i, TinyModels.image(10 + i), "describe the image .");
        prompts.add(prompt);
        List<Response> d = ds.sample(prompt, params);
        List<Response> o = os.sample(prompt, params);
        assertEquals(d, o, "prompt " + i + " with " + params);
        assertTrue(o.stream().anyMatch(r -> r.tokenCount() > 0), "some sample produced tokens");
      }
      prompts.add(new Prompt("p2", TinyModels.image(12), "is there a red circle ?"));
      assertEquals(ds.sampleAll(prompts, params), os.sampleAll(prompts, params), "sampleAll");
    }
  }
}
