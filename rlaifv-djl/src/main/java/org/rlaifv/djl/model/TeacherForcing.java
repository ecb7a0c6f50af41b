package org.rlaifv.djl.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;

/**
 * Builds teacher-forcing batches and sums response log-probabilities: the shared input path of
 * the DPO and SFT trainers.
 *
 * <pre>{@code
 * TeacherForcingBatch b = TeacherForcing.batch(vlm, step, images, prompts, responses);
 * NDArray logits = vlm.model().forward(b.inputsEmbeds(), b.attentionMask(), b.positionIds(), null);
 * NDArray logp = TeacherForcing.sequenceLogProbs(logits, b); // [B]
 * }</pre>
 */
public final class TeacherForcing {
  private TeacherForcing() {}

  /**
   * Builds a batch: each row is the image, the prompt in the chat template, the target tokens and
   * EOS, right-padded. The embeddings are computed with the model's parameters, so building the
   * batch inside a gradient collector makes it differentiable.
   *
   * @param vlm the model
   * @param manager owner of every result array (a per-step sub-manager)
   * @param images one image per row
   * @param prompts one prompt text per row
   * @param targets one target response per row (may be empty: then only EOS is a target)
   * @return the batch
   * @throws InvalidInputException when the lists differ in size or are empty
   */
  public static TeacherForcingBatch batch(
      LoadedVlm vlm, NDManager manager, List<Image> images, List<String> prompts, List<String> targets) {
    int b = images.size();
    if (b == 0 || prompts.size() != b || targets.size() != b) {
      throw new InvalidInputException(
          "teacher forcing needs equal, non-empty lists of images, prompts and targets, got "
              + images.size() + ", " + prompts.size() + ", " + targets.size());
    }
    int n = vlm.model().config().numImageTokens();
    List<long[]> seqs = new ArrayList<>(b);
    int[] respStart = new int[b];
    for (int i = 0; i < b; i++) {
      long[] prompt = vlm.promptIds(prompts.get(i));
      long[] resp = responseIds(vlm, prompts.get(i), prompt, targets.get(i));
      long[] seq = Arrays.copyOf(prompt, prompt.length + resp.length + 1);
      System.arraycopy(resp, 0, seq, prompt.length, resp.length);
      seq[seq.length - 1] = vlm.tokenizer().eosId();
      seqs.add(seq);
      respStart[i] = prompt.length - 1 + n; // expanded index of the first response token
    }
    NDArray feats = vlm.model().imageFeatures(vlm.pixels(manager, images));
    VlmInputs in = vlm.imageInputs(manager, feats, seqs);
    int t = (int) in.embeds().getShape().get(1);
    long[] tgt = new long[b * t];
    float[] mask = new float[b * t];
    for (int i = 0; i < b; i++) {
      long[] seq = seqs.get(i);
      int img = vlm.imageIndex(seq);
      int len = vlm.expandedLength(seq);
      for (int pos = 0; pos + 1 < len; pos++) {
        int next = pos + 1;
        long id;
        if (next < img) {
          id = seq[next];
        } else if (next < img + n) {
          id = 0; // an image position: never a target
        } else {
          id = seq[next - n + 1];
        }
        if (next >= respStart[i]) {
          tgt[i * t + pos] = id;
          mask[i * t + pos] = 1f;
        }
      }
    }
    return new TeacherForcingBatch(
        in.embeds(),
        in.attentionMask(),
        in.positionIds(),
        manager.create(tgt, new Shape(b, t)),
        manager.create(mask, new Shape(b, t)));
  }

  /**
   * Returns the token ids of a response as it follows its prompt: the tokens that encoding
   * "prompt + ' ' + response" adds after the prompt's own tokens (so word boundaries match what the
   * model sees when it generates), or the response encoded alone when the prompt's tokens change.
   *
   * @param vlm the model
   * @param promptText the user text
   * @param promptIds {@link LoadedVlm#promptIds} of it
   * @param response the response text
   * @return the response ids, without EOS
   */
  public static long[] responseIds(LoadedVlm vlm, String promptText, long[] promptIds, String response) {
    if (response.isEmpty()) {
      return new long[0];
    }
    long[] full = vlm.textIds(vlm.renderPrompt(promptText) + " " + response);
    if (full.length >= promptIds.length
        && Arrays.equals(Arrays.copyOf(full, promptIds.length), promptIds)) {
      return Arrays.copyOfRange(full, promptIds.length, full.length);
    }
    return vlm.tokenizer().encode(response);
  }

  /**
   * Returns each target token's log-probability, 0 off the target mask.
   *
   * @param logits {@code [B, T, V]} from {@link VlmModel#forward}
   * @param b the batch
   * @return {@code [B, T]} float32, owned by the logits' manager
   */
  public static NDArray tokenLogProbs(NDArray logits, TeacherForcingBatch b) {
    NDArray logp = logits.logSoftmax(-1);
    NDArray picked = logp.gather(b.targetIds().expandDims(-1), -1).squeeze(-1);
    return picked.mul(b.targetMask().toType(DataType.FLOAT32, false));
  }

  /**
   * Returns each row's summed log-probability over its target tokens (response and EOS).
   *
   * @param logits {@code [B, T, V]} from {@link VlmModel#forward}
   * @param b the batch
   * @return {@code [B]} float32, owned by the logits' manager
   */
  public static NDArray sequenceLogProbs(NDArray logits, TeacherForcingBatch b) {
    return tokenLogProbs(logits, b).sum(new int[] {1});
  }
}
