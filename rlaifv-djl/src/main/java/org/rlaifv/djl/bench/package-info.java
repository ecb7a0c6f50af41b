/**
 * Throughput benchmark of the DJL backend ({@link org.rlaifv.djl.bench.DjlBench}): matmul GFLOP/s,
 * prefix-cached against naive judging, shared-prefill against naive sampling.
 */
package org.rlaifv.djl.bench;
