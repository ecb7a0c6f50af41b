/**
 * Export of DJL models to ONNX: a hand-written protobuf encoder for the few ONNX messages needed
 * ({@link org.rlaifv.djl.export.OnnxGraph}, {@link org.rlaifv.djl.export.OnnxConstant}, {@link
 * org.rlaifv.djl.export.OnnxAttribute}) and the exporter that writes a model directory in the
 * layout Hugging Face Optimum uses for vision-language models.
 *
 * <p>No Python and no generated protobuf classes are involved; the files load in ONNX Runtime.
 */
package org.rlaifv.djl.export;
