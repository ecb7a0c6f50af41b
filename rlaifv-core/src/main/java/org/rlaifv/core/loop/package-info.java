/**
 * The RLAIF-V alignment loop: {@link org.rlaifv.core.loop.AlignmentLoop} composes a sampler, a
 * scorer, a pair selector and a DPO trainer into iterations of sample, score, pair, train and
 * select, keeping every iteration's data in a resumable run directory.
 *
 * <p>The loop depends only on the API roles ({@code ResponseSampler}, {@code ResponseScorer},
 * {@code PairSelector}, {@code DpoTrainer}, {@code CheckpointSelector}); any implementation works.
 *
 * <p>The per-prompt work of the sample and score stages goes through a {@link
 * org.rlaifv.core.loop.StageRunner} (in process by default), the seam at which it may be spread
 * over threads or machines without changing the run's files.
 *
 * <p>Parameters and return values are non-null unless a method says otherwise.
 */
package org.rlaifv.core.loop;
