package org.rlaifv.djl.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.TeacherForcing;
import org.rlaifv.djl.model.TeacherForcingBatch;

/**
 * Runs the model on a teacher-forcing batch and returns the target tokens' log-probs, projecting
 * to the vocabulary only from the first response position on: image and prompt positions never
 * carry a target, so their LM-head matmul and log-softmax are skipped.
 */
final class ResponseLogProbs {
  private ResponseLogProbs() {}

  /**
   * Returns each target token's log-probability.
   *
   * @param vlm the model
   * @param b the batch
   * @return {@code [B, T - s]} float32, 0 off the target mask, where {@code s} is the first
   *     position with a target in any row; sums over axis 1 equal {@link
   *     TeacherForcing#sequenceLogProbs}
   */
  static NDArray tokenLogProbs(LoadedVlm vlm, TeacherForcingBatch b) {
    Shape shape = b.targetMask().getShape();
    int t = (int) shape.get(1);
    float[] mask = b.targetMask().toFloatArray();
    int start = t;
    for (int i = 0; i < mask.length && start > 0; i++) {
      if (mask[i] != 0f) {
        start = Math.min(start, i % t);
      }
    }
    if (start == t) {
      start = t - 1; // no targets at all: keep one position so shapes stay valid
    }
    NDArray hidden =
        vlm.model().hiddenStates(b.inputsEmbeds(), b.attentionMask(), b.positionIds(), null);
    if (start == 0) {
      return TeacherForcing.tokenLogProbs(vlm.model().logits(hidden), b);
    }
    NDIndex tail = new NDIndex(":, {}:", start);
    NDArray logits = vlm.model().logits(hidden.get(new NDIndex(":, {}:, :", start)));
    TeacherForcingBatch sliced =
        new TeacherForcingBatch(
            b.inputsEmbeds(),
            b.attentionMask(),
            b.positionIds(),
            b.targetIds().get(tail),
            b.targetMask().get(tail));
    return TeacherForcing.tokenLogProbs(logits, sliced);
  }
}
