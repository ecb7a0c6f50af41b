/**
 * The DJL/PyTorch backend: {@link org.rlaifv.djl.DjlBackendProvider} (registered as {@code djl}),
 * the shared-prefill {@link org.rlaifv.djl.DjlResponseSampler} and the prefix-cached {@link
 * org.rlaifv.djl.DjlPolarJudge}. The model itself lives in {@code org.rlaifv.djl.model}.
 * Parameters and return values are non-null by default.
 */
package org.rlaifv.djl;
