package org.rlaifv.djl.model;

import ai.djl.ndarray.NDArray;

/**
 * A teacher-forcing batch: decoder inputs for (image, prompt, target) rows, right-padded, with the
 * next-token targets. Logits at position t (from {@link VlmModel#forward}) predict {@code
 * targetIds[t]}; {@code targetMask[t]} is 1 exactly where that next token belongs to the target
 * response (its tokens and the EOS after it). Arrays belong to the manager passed to {@link
 * TeacherForcing#batch}.
 *
 * @param inputsEmbeds {@code [B, T, hidden]}
 * @param attentionMask {@code [B, T]} int64
 * @param positionIds {@code [B, T]} int64
 * @param targetIds {@code [B, T]} int64 next-token ids (0 where masked)
 * @param targetMask {@code [B, T]} float32, 1 on response positions
 */
public record TeacherForcingBatch(
    NDArray inputsEmbeds,
    NDArray attentionMask,
    NDArray positionIds,
    NDArray targetIds,
    NDArray targetMask) {}
