package org.rlaifv.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.spi.BackendOptions;

/**
 * The djl backend's roles on Hugging Face LLaVA directories, end to end from files (config,
 * sharded or single weights in either key layout, tokenizer, chat template, image processor,
 * generation config) against the reference's goldens: the rendered prompt, the input ids after the
 * image token is expanded, the pixel values, the judge's p_yes / p_no and greedy sampling.
 */
class HfRolesParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> cases() throws Exception {
    return org.rlaifv.djl.model.HfGoldenCases.names().stream();
  }

  private static long[] longs(JsonNode arr) {
    long[] out = new long[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = arr.get(i).asLong();
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void promptIdsAndPixelsMatchTheReference(String name) throws Exception {
    Path dir = org.rlaifv.djl.model.HfGoldenCases.dir(name);
    JsonNode g = JSON.readTree(dir.resolve("golden.json").toFile());
    try (LoadedVlm vlm = LoadedVlm.load(dir, Device.cpu())) {
      JsonNode prompt = g.get("prompt");
      String rendered = vlm.renderPrompt(prompt.get("text").asText());
      assertEquals(prompt.get("rendered").asText(), rendered, name + " rendered prompt");
      assertArrayEquals(longs(prompt.get("input_ids")), expand(vlm, vlm.promptIds(prompt.get("text").asText())),
          name + " input ids");
      for (JsonNode q : g.get("judge")) {
        assertArrayEquals(longs(q.get("input_ids")), expand(vlm, vlm.promptIds(q.get("text").asText())),
            name + " question ids");
      }
      Image image = Image.fromFile(dir.resolve(g.get("image").asText()));
      try (NDManager m = vlm.model().manager().newSubManager()) {
        float[] pixels = vlm.pixels(m, List.of(image)).toFloatArray();
        JsonNode want = g.get("pixel_values");
        assertEquals(want.size(), pixels.length);
        double worst = 0;
        for (int i = 0; i < pixels.length; i++) {
          worst = Math.max(worst, Math.abs(want.get(i).asDouble() - pixels[i]));
        }
        assertTrue(worst <= 1e-6, name + " pixel values differ by " + worst);
      }
    }
  }

  private static long[] expand(LoadedVlm vlm, long[] ids) {
    int n = vlm.model().config().numImageTokens();
    long image = vlm.tokenizer().imageId();
    List<Long> out = new ArrayList<>();
    for (long id : ids) {
      int times = id == image ? n : 1;
      for (int i = 0; i < times; i++) {
        out.add(id);
      }
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void judgeAndGreedySamplerMatchTheReference(String name) throws Exception {
    Path dir = org.rlaifv.djl.model.HfGoldenCases.dir(name);
    JsonNode g = JSON.readTree(dir.resolve("golden.json").toFile());
    Image image = Image.fromFile(dir.resolve(g.get("image").asText()));
    DjlBackendProvider djl = new DjlBackendProvider();
    BackendOptions cpu = BackendOptions.defaults();
    try (PolarJudge judge = djl.newJudge(Checkpoint.of(dir), cpu)) {
      List<PolarQuestion> qs = new ArrayList<>();
      for (JsonNode q : g.get("judge")) {
        qs.add(new PolarQuestion(new Claim(q.get("question").asText()), q.get("question").asText()));
      }
      List<ClaimVerdict> v = judge.judge(image, qs);
      for (int i = 0; i < qs.size(); i++) {
        JsonNode q = g.get("judge").get(i);
        assertEquals(q.get("p_yes").asDouble(), v.get(i).pYes(), 1e-5, name + " p_yes " + i);
        assertEquals(q.get("p_no").asDouble(), v.get(i).pNo(), 1e-5, name + " p_no " + i);
      }
    }
    try (ResponseSampler sampler = djl.newSampler(Checkpoint.of(dir), cpu);
        LoadedVlm vlm = LoadedVlm.load(dir, Device.cpu())) {
      JsonNode prompt = g.get("prompt");
      long[] greedy = longs(prompt.get("greedy_ids"));
      int stop = 0;
      while (stop < greedy.length && !vlm.tokenizer().isEos(greedy[stop])) {
        stop++;
      }
      SamplingParams params =
          SamplingParams.builder().n(1).temperature(0).maxNewTokens(stop == greedy.length ? greedy.length : stop + 1).build();
      List<Response> r = sampler.sample(new Prompt("p", image, prompt.get("text").asText()), params);
      String want = vlm.tokenizer().decode(java.util.Arrays.copyOf(greedy, stop));
      assertEquals(want, r.get(0).text(), name + " greedy text");
    }
  }
}
