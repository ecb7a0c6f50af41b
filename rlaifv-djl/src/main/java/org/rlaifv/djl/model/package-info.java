/**
 * The LLaVA-style vision-language model on DJL/PyTorch: {@link org.rlaifv.djl.model.VlmConfig}
 * ({@code config.json}), {@link org.rlaifv.djl.model.VlmModel} (weights in {@code
 * model.safetensors}, Hugging Face parameter names), {@link org.rlaifv.djl.model.KvCache}, the
 * tokenizer ({@link org.rlaifv.djl.model.VlmTokenizer}, {@link
 * org.rlaifv.djl.model.TokenizerFiles}), the chat template ({@link
 * org.rlaifv.core.hf.PromptFormat}), a whole model directory ({@link
 * org.rlaifv.djl.model.LoadedVlm}) and teacher forcing for trainers ({@link
 * org.rlaifv.djl.model.TeacherForcing}). The same decoder runs text-only Hugging Face causal LMs:
 * {@link org.rlaifv.djl.model.TextConfig}, {@link org.rlaifv.djl.model.CausalLmModel} and {@link
 * org.rlaifv.djl.model.LoadedCausalLm}.
 *
 * <p>Everything holding native memory is {@code AutoCloseable}; its creator closes it. Arrays
 * returned by model methods belong to the manager of their first input; run them in a sub-manager
 * of {@link org.rlaifv.djl.model.VlmModel#manager()} and close it after each step. Parameters are
 * non-null by default.
 */
package org.rlaifv.djl.model;
