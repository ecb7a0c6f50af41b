/**
 * Readers for Hugging Face model-directory files, without an ML engine: {@linkplain
 * org.rlaifv.core.hf.ChatTemplate chat templates} rendered as transformers renders them, {@linkplain
 * org.rlaifv.core.hf.TokenizerConfig tokenizer_config.json}, {@linkplain
 * org.rlaifv.core.hf.GenerationConfig generation_config.json}, and {@linkplain
 * org.rlaifv.core.hf.ImageProcessor the image processors} of transformers ({@code
 * CLIPImageProcessor}, {@code SiglipImageProcessor}, {@code LlavaImageProcessor}) read from a
 * model's {@code preprocessor_config.json}, with {@linkplain org.rlaifv.core.hf.PilResample PIL's
 * resize} reproduced bit for bit.
 *
 * <p>Parameters and return values are non-null unless a method says otherwise; methods never return
 * null collections.
 */
package org.rlaifv.core.hf;
