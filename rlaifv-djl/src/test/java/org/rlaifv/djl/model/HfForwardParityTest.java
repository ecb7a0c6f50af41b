package org.rlaifv.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model's arithmetic against golden outputs of an independent PyTorch implementation of
 * transformers' LLaVA (reference/llava_reference.py): for each family and key layout, the same
 * input ids and pixel values give the same next-token log-probabilities (within 1e-4), the same
 * teacher-forced response log-probabilities and the same greedy tokens.
 */
class HfForwardParityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double TOL = 1e-4;

  static Stream<String> cases() throws IOException, URISyntaxException {
    return HfGoldenCases.names().stream();
  }

  static Path dir(String name) throws URISyntaxException {
    return HfGoldenCases.dir(name);
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

  /** Embeds expanded ids, replacing the run of image tokens by the image features. */
  static NDArray embeds(VlmModel model, NDManager m, long[] ids, NDArray feats) {
    long image = model.config().imageTokenIndex();
    int first = -1;
    int count = 0;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == image) {
        first = first < 0 ? i : first;
        count++;
      }
    }
    assertEquals(model.config().numImageTokens(), count, "image tokens in the golden input ids");
    NDArray text = model.embed(m.create(ids, new Shape(1, ids.length)));
    NDArray before = text.get(":, :" + first + ", :");
    NDArray after = text.get(":, " + (first + count) + ":, :");
    return before.concat(feats, 1).concat(after, 1);
  }

  static float[] lastLogProbs(VlmModel model, NDManager m, long[] ids, NDArray feats) {
    NDArray e = embeds(model, m, ids, feats);
    int t = ids.length;
    long[] ones = new long[t];
    java.util.Arrays.fill(ones, 1);
    NDArray mask = m.create(ones, new Shape(1, t));
    NDArray logits =
        model.forward(e, mask, VlmModel.positionsFromMask(mask, t), null);
    return logits.get(":, " + (t - 1) + ", :").logSoftmax(-1).toFloatArray();
  }

  static void close(float[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what + ": vocabulary size");
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(want[i] - got[i]));
    }
    assertTrue(worst <= TOL, what + ": max |diff| " + worst);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void logProbsGreedyAndResponseMatchTheReference(String name) throws Exception {
    Path d = dir(name);
    JsonNode g = JSON.readTree(d.resolve("golden.json").toFile());
    try (VlmModel model = VlmModel.load(d, Device.cpu());
        NDManager m = model.manager().newSubManager()) {
      long[] shape = longs(g.get("pixel_shape"));
      NDArray pixels = m.create(floats(g.get("pixel_values")), new Shape(shape));
      NDArray feats = model.imageFeatures(pixels);

      JsonNode prompt = g.get("prompt");
      long[] ids = longs(prompt.get("input_ids"));
      close(floats(prompt.get("last_logprobs")), lastLogProbs(model, m, ids, feats),
          name + " prompt");

      // greedy decoding with full recomputation, as the reference does
      long[] want = longs(prompt.get("greedy_ids"));
      long[] seq = ids;
      long[] got = new long[want.length];
      for (int s = 0; s < want.length; s++) {
        float[] lp = lastLogProbs(model, m, seq, feats);
        int best = 0;
        for (int i = 1; i < lp.length; i++) {
          if (lp[i] > lp[best]) {
            best = i;
          }
        }
        got[s] = best;
        seq = java.util.Arrays.copyOf(seq, seq.length + 1);
        seq[seq.length - 1] = best;
      }
      assertArrayEquals(want, got, name + " greedy ids");

      for (JsonNode q : g.get("judge")) {
        long[] qids = longs(q.get("input_ids"));
        float[] lp = lastLogProbs(model, m, qids, feats);
        close(floats(q.get("last_logprobs")), lp, name + " judge " + q.get("question"));
        double yes = 0;
        double no = 0;
        for (long id : longs(q.get("yes_ids"))) {
          yes += Math.exp(lp[(int) id]);
        }
        for (long id : longs(q.get("no_ids"))) {
          no += Math.exp(lp[(int) id]);
        }
        assertEquals(q.get("p_yes").asDouble(), yes, 1e-5, name + " p_yes");
        assertEquals(q.get("p_no").asDouble(), no, 1e-5, name + " p_no");
      }

      JsonNode r = g.get("response");
      long[] resp = longs(r.get("ids"));
      long[] full = java.util.Arrays.copyOf(ids, ids.length + resp.length);
      System.arraycopy(resp, 0, full, ids.length, resp.length);
      NDArray e = embeds(model, m, full, feats);
      long[] ones = new long[full.length];
      java.util.Arrays.fill(ones, 1);
      NDArray mask = m.create(ones, new Shape(1, full.length));
      NDArray logp =
          model.forward(e, mask, VlmModel.positionsFromMask(mask, full.length), null).logSoftmax(-1);
      float[] wantTok = floats(r.get("token_logprobs"));
      for (int i = 0; i < resp.length; i++) {
        float lpTok = logp.getFloat(0, ids.length - 1 + i, resp[i]);
        assertEquals(wantTok[i], lpTok, TOL, name + " response token " + i);
      }
    }
  }
}
