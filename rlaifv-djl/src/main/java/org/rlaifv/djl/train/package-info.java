/**
 * Training on DJL's PyTorch engine: DPO ({@link org.rlaifv.djl.train.DjlDpoTrainer}), supervised
 * fine-tuning ({@link org.rlaifv.djl.train.DjlSftTrainer}), the optimizer and schedules they share
 * ({@link org.rlaifv.djl.train.AdamW}, {@link org.rlaifv.djl.train.LrScheduler}, {@link
 * org.rlaifv.djl.train.Gradients}), the DPO loss on NDArrays ({@link
 * org.rlaifv.djl.train.DjlDpoLoss}), self-feedback best-of-N ({@link
 * org.rlaifv.djl.train.ImplicitRewardRanker}) and the training benchmark ({@link
 * org.rlaifv.djl.train.DpoBench}).
 *
 * <p>Native memory: every training step runs in its own sub-manager and {@link ai.djl.ndarray.NDScope},
 * so the model's manager holds the same number of arrays after each step; optimizer state is created
 * once, outside any step scope. DJL's PyTorch engine allows one gradient collector at a time, so one
 * training run per JVM runs at a time.
 *
 * <p>Autograd lifetime: every array the graph saves for the backward pass must stay reachable until
 * that pass ends. Arrays a step creates live in its sub-manager, which closes after backward; but
 * DJL's {@code Number} overloads ({@code x.mul(2f)}, {@code x.pow(-0.5f)}, {@code x.div(n)}) build a
 * scalar in a Java buffer and free it at once, so differentiable code takes its constants from
 * {@link org.rlaifv.djl.model.Scalars#of} instead (a collection between forward and backward
 * otherwise turns gradients into garbage, Inf or NaN).
 *
 * <p>Parameters and return values are non-null unless a method says otherwise.
 */
package org.rlaifv.djl.train;
