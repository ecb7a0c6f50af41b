/**
 * The ONNX Runtime backend ({@code onnx}): {@link org.rlaifv.onnx.OrtResponseSampler} and {@link
 * org.rlaifv.onnx.OrtPolarJudge} over a VLM exported in the Hugging Face Optimum layout ({@link
 * org.rlaifv.onnx.OrtModel}), registered by {@link org.rlaifv.onnx.OnnxBackendProvider}. No
 * training: that is the {@code djl} backend's job.
 *
 * <p>Everything that holds native memory ({@link org.rlaifv.onnx.OrtModel}, {@link
 * org.rlaifv.onnx.OrtKvCache}, {@link org.rlaifv.onnx.DecoderOutput}, samplers and judges) is
 * {@link java.lang.AutoCloseable} and closed by whoever created it.
 */
package org.rlaifv.onnx;
