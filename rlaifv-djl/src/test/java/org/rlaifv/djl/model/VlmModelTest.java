package org.rlaifv.djl.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Image;
import org.rlaifv.djl.TinyVlms;

class VlmModelTest {
  @TempDir Path dir;

  @Test
  void kvCachedIncrementalDecodingMatchesFullForward() {
    try (LoadedVlm vlm = TinyVlms.create(dir, 1);
        NDManager m = vlm.model().manager().newSubManager()) {
      VlmModel model = vlm.model();
      VlmInputs in = vlm.promptInputs(m, TinyVlms.image(3, 20), "describe the image .");
      int t = (int) in.embeds().getShape().get(1);
      long[] extra = {vlm.tokenizer().tokenId("red"), vlm.tokenizer().tokenId("circle"), vlm.tokenizer().tokenId(".")};
      NDArray extraEmb = model.embed(m.create(extra, new Shape(1, extra.length)));
      NDArray all = in.embeds().concat(extraEmb, 1);
      int total = t + extra.length;
      NDArray full =
          model.forward(all, m.ones(new Shape(1, total), ai.djl.ndarray.types.DataType.INT64),
              m.arange(0, total, 1, ai.djl.ndarray.types.DataType.INT64).reshape(1, total), null);
      try (KvCache cache = model.newCache(m)) {
        NDArray first = model.forward(in.embeds(), in.attentionMask(), in.positionIds(), cache);
        assertEquals(t, cache.length());
        float maxDiff = maxAbs(first.sub(full.get(":, :" + t + ", :")));
        for (int i = 0; i < extra.length; i++) {
          int pos = t + i;
          NDArray step =
              model.forward(extraEmb.get(":, " + i + ":" + (i + 1) + ", :"),
                  m.ones(new Shape(1, pos + 1), ai.djl.ndarray.types.DataType.INT64),
                  m.create(new long[] {pos}, new Shape(1, 1)), cache);
          maxDiff = Math.max(maxDiff, maxAbs(step.sub(full.get(":, " + pos + ":" + (pos + 1) + ", :"))));
        }
        assertTrue(maxDiff <= 1e-4, "max |cached - full| = " + maxDiff);
        assertEquals(total, cache.length());
      }
    }
  }

  @Test
  void sharedPrefixCacheMatchesCopiedCacheAndSurvivesSelect() {
    try (LoadedVlm vlm = TinyVlms.create(dir, 4);
        NDManager m = vlm.model().manager().newSubManager()) {
      VlmModel model = vlm.model();
      VlmInputs in = vlm.promptInputs(m, TinyVlms.image(2, 16), "describe the image .");
      try (KvCache prefix = model.newCache(m)) {
        model.forward(in.embeds(), in.attentionMask(), in.positionIds(), prefix);
        int past = prefix.length();
        try (KvCache copied = prefix.copyBatch(3); KvCache shared = KvCache.sharing(prefix, 3)) {
          assertEquals(3, shared.batchSize());
          assertEquals(past, shared.length());
          for (int step = 0; step < 3; step++) {
            int rows = step < 2 ? 3 : 2;
            long[] ids = new long[rows];
            for (int r = 0; r < rows; r++) {
              ids[r] = 5 + r + step;
            }
            NDArray emb = model.embed(m.create(ids, new Shape(rows, 1)));
            NDArray mask = m.ones(new Shape(rows, past + step + 1), ai.djl.ndarray.types.DataType.INT64);
            NDArray pos = m.full(new Shape(rows, 1), past + step, ai.djl.ndarray.types.DataType.INT64);
            NDArray a = model.forward(emb, mask, pos, copied);
            NDArray b = model.forward(emb, mask, pos, shared);
            assertTrue(maxAbs(a.sub(b)) <= 1e-5, "step " + step);
            if (step == 1) {
              copied.select(new int[] {2, 0});
              shared.select(new int[] {2, 0});
            }
          }
        }
        assertEquals(past, prefix.length());
      }
    }
  }

  @Test
  void paddingAnywhereDoesNotChangeRealPositions() {
    try (LoadedVlm vlm = TinyVlms.create(dir, 2);
        NDManager m = vlm.model().manager().newSubManager()) {
      VlmModel model = vlm.model();
      Image img = TinyVlms.image(5, 16);
      NDArray feats = model.imageFeatures(vlm.pixels(m, List.of(img, img)));
      long[] a = vlm.promptIds("describe the image .");
      long[] b = vlm.promptIds("is there a red circle on the top left ?");
      VlmInputs batch = vlm.imageInputs(m, feats, List.of(a, b));
      NDArray logits = model.forward(batch.embeds(), batch.attentionMask(), batch.positionIds(), null);
      VlmInputs alone = vlm.imageInputs(m, feats.get("0:1"), List.of(a));
      NDArray single = model.forward(alone.embeds(), alone.attentionMask(), alone.positionIds(), null);
      int la = vlm.expandedLength(a);
      float diff = maxAbs(logits.get("0:1, :" + la + ", :").sub(single));
      assertTrue(diff <= 1e-4, "padded vs alone " + diff);
    }
  }

  @Test
  void saveLoadRoundTripIsExact() {
    Path out = dir.resolve("saved");
    try (LoadedVlm vlm = TinyVlms.create(dir, 7)) {
      vlm.save(out);
      try (LoadedVlm back = LoadedVlm.load(out, vlm.model().device())) {
        assertEquals(vlm.model().config(), back.model().config());
        assertEquals(vlm.model().parameters().keySet(), back.model().parameters().keySet());
        for (var e : vlm.model().parameters().entrySet()) {
          assertArrayEquals(e.getValue().toFloatArray(),
              back.model().parameters().get(e.getKey()).toFloatArray(), 0f, e.getKey());
        }
        // saved in Hugging Face's form: the chat template renders what the prompt format did
        assertEquals(null, back.format());
        assertEquals(vlm.renderPrompt("describe the image."), back.renderPrompt("describe the image."));
        assertArrayEquals(vlm.promptIds("describe the image."), back.promptIds("describe the image."));
        assertArrayEquals(vlm.tokenizer().encode("there is a red circle ."),
            back.tokenizer().encode("there is a red circle ."));
      }
    }
  }

  @Test
  void copyIsIndependentAndEqual() {
    try (LoadedVlm vlm = TinyVlms.create(dir, 8);
        LoadedVlm whole = vlm.copy(vlm.model().device());
        VlmModel copy = vlm.model().copy(vlm.model().device())) {
      assertArrayEquals(vlm.promptIds("describe ."), whole.promptIds("describe ."));
      String name = "multi_modal_projector.linear_1.weight";
      NDArray orig = vlm.model().parameters().get(name);
      assertArrayEquals(orig.toFloatArray(), copy.parameters().get(name).toFloatArray());
      orig.subi(1f);
      assertTrue(orig.toFloatArray()[0] != copy.parameters().get(name).toFloatArray()[0]);
    }
  }

  @Test
  void randomInitIsSeeded() {
    try (LoadedVlm a = TinyVlms.create(dir, 9); LoadedVlm b = TinyVlms.create(dir, 9)) {
      String name = "language_model.model.layers.0.self_attn.q_proj.weight";
      assertArrayEquals(a.model().parameters().get(name).toFloatArray(),
          b.model().parameters().get(name).toFloatArray());
    }
  }

  @Test
  void teacherForcingMasksExactlyTheResponseAndEos() {
    try (LoadedVlm vlm = TinyVlms.create(dir, 11);
        NDManager m = vlm.model().manager().newSubManager()) {
      Image img = TinyVlms.image(1, 16);
      TeacherForcingBatch b = TeacherForcing.batch(vlm, m, List.of(img, img),
          List.of("describe the image .", "is there a circle ?"),
          List.of("there is a red circle .", "yes"));
      float[] mask = b.targetMask().toFloatArray();
      long[] tgt = b.targetIds().toLongArray();
      int t = (int) b.targetMask().getShape().get(1);
      // row 1: "yes" then EOS are the only targets
      int count = 0;
      for (int j = 0; j < t; j++) {
        if (mask[t + j] == 1f) {
          count++;
        }
      }
      assertEquals(2, count);
      int last = -1;
      for (int j = 0; j < t; j++) {
        if (mask[t + j] == 1f) {
          last = j;
        }
      }
      assertEquals(vlm.tokenizer().eosId(), tgt[t + last]);
      assertEquals(vlm.tokenizer().tokenId("yes"), tgt[t + last - 1]);
      // row 0: 6 tokens + EOS
      int count0 = 0;
      for (int j = 0; j < t; j++) {
        count0 += mask[j] == 1f ? 1 : 0;
      }
      assertEquals(7, count0);
      NDArray logits = vlm.model().forward(b.inputsEmbeds(), b.attentionMask(), b.positionIds(), null);
      NDArray seq = TeacherForcing.sequenceLogProbs(logits, b);
      assertEquals(new Shape(2), seq.getShape());
      float[] lp = seq.toFloatArray();
      assertTrue(lp[0] < 0 && lp[1] < 0 && lp[0] < lp[1]);
    }
  }

  static float maxAbs(NDArray a) {
    return a.abs().max().getFloat();
  }
}
