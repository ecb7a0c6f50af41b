/**
 * Throughput benchmark of the DJL backend ({@link org.rlaifv.djl.internal.bench.DjlBench}):
 * matmul GFLOP/s, prefix-cached against naive judging, shared-prefill against naive sampling. Run by
 * {@code rlaifv bench}; internal, without compatibility promise.
 */
package org.rlaifv.djl.internal.bench;
