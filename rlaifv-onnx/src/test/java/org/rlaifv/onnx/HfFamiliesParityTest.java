package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
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
import org.rlaifv.SamplingParams;
import org.rlaifv.djl.DjlBackendProvider;
import org.rlaifv.djl.export.OnnxExporter;
import org.rlaifv.spi.BackendOptions;

/**
 * Exports of the Hugging Face LLaVA families the djl backend opens (CLIP + Llama, SigLIP + Qwen2
 * with BF16 shards, tied head and q/k/v biases, CLIP + Mistral in F16 with head_dim 32, a sliding
 * window and no projector bias) run on ONNX Runtime as the reference computed them
 * (reference/llava_reference.py's goldens): next-token log-probs within 1e-4, greedy ids and text,
 * and the judge's p_yes / p_no within 1e-5 of the goldens and of the djl judge.
 */
class HfFamiliesParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path GOLDEN = Path.of("../rlaifv-djl/src/test/resources/hf");

  @TempDir static Path tmp;

  static Stream<String> families() {
    return Stream.of("llava-clip-llama", "llava-siglip-qwen2", "llava-clip-mistral");
  }

  static Path export(String name) {
    Path out = tmp.resolve(name + "-onnx");
    if (!Files.isRegularFile(out.resolve(OnnxExporter.SHARED_PREFIX_DECODER))) {
      OnnxExporter.export(GOLDEN.resolve(name), out);
    }
    return out;
  }

  static long[] longs(JsonNode arr) {
    long[] out = new long[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = arr.get(i).asLong();
    }
    return out;
  }

  static float[] floats(JsonNode arr) {
    float[] out = new float[arr.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) arr.get(i).asDouble();
    }
    return out;
  }

  static double[] logSoftmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    double lse = max + Math.log(sum);
    double[] out = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      out[i] = logits[i] - lse;
    }
    return out;
  }

  static void close(float[] want, double[] got, String what) {
    assertEquals(want.length, got.length, what + ": vocabulary size");
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(want[i] - got[i]));
    }
    assertTrue(worst <= 1e-4, what + ": max |diff| " + worst);
  }

  static int argmax(float[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Embeds golden (image-expanded) ids with the image run replaced by the features. */
  static float[] embeds(OrtModel m, long[] ids, long imageId, float[] features) {
    long[] text = ids.clone();
    int first = -1;
    for (int i = 0; i < text.length; i++) {
      if (text[i] == imageId) {
        first = first < 0 ? i : first;
        text[i] = 0;
      }
    }
    float[] e = m.embed(text, 1, text.length);
    System.arraycopy(features, 0, e, first * m.hiddenSize(), features.length);
    return e;
  }

  @ParameterizedTest
  @MethodSource("families")
  void logProbsAndCachedGreedyDecodingMatchTheReference(String name) throws Exception {
    JsonNode g = JSON.readTree(GOLDEN.resolve(name).resolve("golden.json").toFile());
    try (OrtVlm vlm = OrtVlm.open(export(name), BackendOptions.defaults(), false)) {
      OrtModel m = vlm.model;
      float[] features = m.imageFeatures(floats(g.get("pixel_values")));
      assertEquals(m.imageTokens() * m.hiddenSize(), features.length);
      JsonNode prompt = g.get("prompt");
      long[] ids = longs(prompt.get("input_ids"));
      int t = ids.length;
      long[] mask = new long[t];
      Arrays.fill(mask, 1);
      long[] pos = new long[t];
      for (int i = 0; i < t; i++) {
        pos[i] = i;
      }
      long[] want = longs(prompt.get("greedy_ids"));
      long[] got = new long[want.length];
      try (DecoderOutput pre =
          m.prefill(embeds(m, ids, vlm.tokenizer.imageId, features), 1, t, mask, pos)) {
        float[] last = pre.logits(0, t - 1);
        close(floats(prompt.get("last_logprobs")), logSoftmax(last), name + " prompt");
        OrtKvCache cache = pre.takeCache();
        try {
          for (int s = 0; s < want.length; s++) {
            got[s] = argmax(last);
            long[] stepMask = new long[t + s + 1];
            Arrays.fill(stepMask, 1);
            try (DecoderOutput o =
                m.decode(m.embed(new long[] {got[s]}, 1, 1), 1, 1, stepMask, new long[] {t + s},
                    cache)) {
              last = o.logits(0, 0);
              cache.close();
              cache = o.takeCache();
            }
          }
        } finally {
          cache.close();
        }
      }
      assertArrayEquals(want, got, name + " greedy ids");
      for (JsonNode q : g.get("judge")) {
        long[] qids = longs(q.get("input_ids"));
        long[] qmask = new long[qids.length];
        Arrays.fill(qmask, 1);
        long[] qpos = new long[qids.length];
        for (int i = 0; i < qids.length; i++) {
          qpos[i] = i;
        }
        try (DecoderOutput o =
            m.prefill(embeds(m, qids, vlm.tokenizer.imageId, features), 1, qids.length, qmask,
                qpos)) {
          close(floats(q.get("last_logprobs")), logSoftmax(o.logits(0, qids.length - 1)),
              name + " judge " + q.get("question"));
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("families")
  void judgeAndGreedySamplerMatchTheReferenceAndDjl(String name) throws Exception {
    Path dir = GOLDEN.resolve(name);
    JsonNode g = JSON.readTree(dir.resolve("golden.json").toFile());
    Image image = Image.fromFile(dir.resolve(g.get("image").asText()));
    BackendOptions cpu = BackendOptions.defaults();
    List<PolarQuestion> qs = new ArrayList<>();
    for (JsonNode q : g.get("judge")) {
      qs.add(new PolarQuestion(new Claim(q.get("question").asText()), q.get("question").asText()));
    }
    List<ClaimVerdict> djl;
    try (PolarJudge judge = new DjlBackendProvider().newJudge(Checkpoint.of(dir), cpu)) {
      djl = judge.judge(image, qs);
    }
    Path onnx = export(name);
    try (PolarJudge judge = new OnnxBackendProvider().newJudge(Checkpoint.of(onnx), cpu)) {
      List<ClaimVerdict> v = judge.judge(image, qs);
      for (int i = 0; i < qs.size(); i++) {
        JsonNode q = g.get("judge").get(i);
        assertEquals(q.get("p_yes").asDouble(), v.get(i).pYes(), 1e-5, name + " p_yes " + i);
        assertEquals(q.get("p_no").asDouble(), v.get(i).pNo(), 1e-5, name + " p_no " + i);
        assertEquals(djl.get(i).pYes(), v.get(i).pYes(), 1e-5, name + " p_yes vs djl " + i);
        assertEquals(djl.get(i).pNo(), v.get(i).pNo(), 1e-5, name + " p_no vs djl " + i);
      }
    }
    try (OrtResponseSampler sampler = OrtResponseSampler.open(Checkpoint.of(onnx), cpu);
        OrtVlm vlm = OrtVlm.open(onnx, cpu, true)) {
      JsonNode prompt = g.get("prompt");
      long[] greedy = longs(prompt.get("greedy_ids"));
      int stop = 0;
      while (stop < greedy.length && !vlm.tokenizer.isEos(greedy[stop])) {
        stop++;
      }
      SamplingParams params =
          SamplingParams.builder().n(1).temperature(0)
              .maxNewTokens(stop == greedy.length ? greedy.length : stop + 1).build();
      List<Response> r = sampler.sample(new Prompt("p", image, prompt.get("text").asText()), params);
      String want = vlm.tokenizer.decode(Arrays.copyOf(greedy, stop));
      assertFalse(want.isEmpty(), name + " greedy text is empty");
      assertEquals(want, r.get(0).text(), name + " greedy text");
    }
  }
}
