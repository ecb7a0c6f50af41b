package org.rlaifv.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlaifv.BackendException;
import org.rlaifv.Image;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.internal.AnswerTokens;
import org.rlaifv.core.internal.RightPadded;
import org.rlaifv.djl.model.KvCache;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.VlmInputs;
import org.rlaifv.djl.model.VlmModel;

/**
 * The forward pass the DJL judges share: each text asked as one user turn about one image, and at
 * its first answer position the softmax over the full vocabulary summed over groups of token ids
 * (the ids of "yes", of "no", or of each option of a choice).
 */
final class AnswerMass {
  private AnswerMass() {}

  /**
   * Distinct first token ids of each word written right after a rendered user turn (the model may
   * answer with or without a leading space).
   *
   * @param vlm the model
   * @param probe a user turn the words are written after
   * @param words the word's spellings
   * @return the ids
   */
  static int[] firstIds(LoadedVlm vlm, String probe, String... words) {
    String rendered = vlm.renderPrompt(probe);
    long unk = -1;
    try {
      unk = vlm.tokenizer().tokenId("<unk>");
    } catch (ModelFormatException e) {
      // the tokenizer has no <unk> token
    }
    return AnswerTokens.firstIds(vlm.textIds(rendered), w -> vlm.textIds(rendered + w),
        w -> vlm.tokenizer().encode(w), unk, vlm.tokenizer().file().toString(), words);
  }

  /**
   * Answers every text about one image with one cached prefix and batched forwards: the image and
   * the token prefix all texts share are run once into a key/value cache; the rest of each text
   * continues from it as a right-padded batch.
   *
   * @param vlm the model
   * @param batchSize texts per forward
   * @param image the image
   * @param texts the user turns
   * @param groups token id groups
   * @return per text, the probability mass of each group
   */
  static double[][] cached(LoadedVlm vlm, int batchSize, Image image, List<String> texts,
      int[][] groups) {
    List<long[]> ids = new ArrayList<>(texts.size());
    for (String t : texts) {
      ids.add(vlm.promptIds(t));
    }
    int shared = AnswerTokens.sharedPrefix(ids);
    int imagePos = vlm.imageIndex(ids.get(0));
    if (shared <= imagePos) {
      // The image is not inside the shared prefix (template puts it after the question).
      return fromScratch(vlm, image, texts, groups);
    }
    VlmModel model = vlm.model();
    double[][] mass = new double[texts.size()][];
    try (NDManager m = model.manager().newSubManager();
        KvCache prefix = model.newCache(m)) {
      NDArray feats = model.imageFeatures(vlm.pixels(m, List.of(image)));
      VlmInputs pre = vlm.imageInputs(m, feats, List.of(Arrays.copyOf(ids.get(0), shared)));
      model.hiddenStates(pre.embeds(), pre.attentionMask(), pre.positionIds(), prefix);
      int past = prefix.length();
      for (int start = 0; start < ids.size(); start += batchSize) {
        int c = Math.min(batchSize, ids.size() - start);
        try (NDManager step = m.newSubManager();
            KvCache rows = KvCache.sharing(prefix, c)) {
          RightPadded batch =
              RightPadded.continuing(
                  ids.subList(start, start + c), shared, past, vlm.tokenizer().padId());
          int maxLen = batch.width();
          int[] len = batch.lengths();
          NDArray hidden =
              model.hiddenStates(
                  model.embed(step.create(batch.tokens(), new Shape(c, maxLen))),
                  step.create(batch.mask(), new Shape(c, past + maxLen)),
                  step.create(batch.positions(), new Shape(c, maxLen)),
                  rows);
          NDList lastRows = new NDList(c);
          for (int i = 0; i < c; i++) {
            lastRows.add(hidden.get(i, len[i] - 1));
          }
          float[] p = model.logits(NDArrays.stack(lastRows, 0)).softmax(-1).toFloatArray();
          int vocab = model.config().vocabSize();
          for (int i = 0; i < c; i++) {
            mass[start + i] = sum(p, i * vocab, groups);
          }
        }
      }
    } catch (ai.djl.engine.EngineException e) {
      throw new BackendException("judging failed: " + e.getMessage(), e);
    }
    return mass;
  }

  /**
   * Answers each text with its own full forward pass (image, template and text, no cache): the
   * reference method.
   *
   * @param vlm the model
   * @param image the image
   * @param texts the user turns
   * @param groups token id groups
   * @return per text, the probability mass of each group
   */
  static double[][] fromScratch(LoadedVlm vlm, Image image, List<String> texts, int[][] groups) {
    VlmModel model = vlm.model();
    double[][] mass = new double[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      try (NDManager m = model.manager().newSubManager()) {
        VlmInputs in = vlm.promptInputs(m, image, texts.get(i));
        NDArray hidden = model.hiddenStates(in.embeds(), in.attentionMask(), in.positionIds(), null);
        long t = hidden.getShape().get(1);
        float[] p = model.logits(hidden.get(":, " + (t - 1) + ", :")).softmax(-1).toFloatArray();
        mass[i] = sum(p, 0, groups);
      }
    }
    return mass;
  }

  private static double[] sum(float[] p, int offset, int[][] groups) {
    double[] out = new double[groups.length];
    for (int g = 0; g < groups.length; g++) {
      for (int id : groups[g]) {
        out[g] += p[offset + id];
      }
    }
    return out;
  }
}
