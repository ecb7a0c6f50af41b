package org.rlaifv.djl.model;

import java.nio.file.Path;
import org.rlaifv.ModelFormatException;

/**
 * The tensor-name layout of a Hugging Face LLaVA directory: transformers' original one ({@code
 * language_model.model.*}, {@code language_model.lm_head}, {@code vision_tower.*}, {@code
 * multi_modal_projector.*}) or the newer one ({@code model.language_model.*}, {@code lm_head},
 * {@code model.vision_tower.*}, {@code model.multi_modal_projector.*}). {@link VlmModel} names its
 * parameters in the original layout; files written for a base directory (PEFT adapters) use the
 * base's own layout, which is the module path of the model transformers builds from it.
 */
public enum KeyLayout {
  /** {@code language_model.model.*}, as {@link VlmModel} names its parameters. */
  ORIGINAL,
  /** {@code model.language_model.*}, as transformers 4.52 and later save LLaVA. */
  NEWER;

  /**
   * Returns the layout of a model directory's weights files.
   *
   * @param modelDir a model directory, or an adapter directory (its base's layout is returned)
   * @return NEWER when a tensor is stored under {@code model.}, else ORIGINAL
   * @throws ModelFormatException naming the directory when it has no weights
   */
  public static KeyLayout of(Path modelDir) {
    if (LoraAdapter.isAdapterDirectory(modelDir)) {
      return of(LoraAdapter.baseDirectory(modelDir));
    }
    for (Path f : HfWeights.files(modelDir)) {
      for (String key : SafeTensors.entries(f).keySet()) {
        if (key.startsWith("model.")) {
          return NEWER;
        }
      }
    }
    return ORIGINAL;
  }

  /**
   * Returns a name of the original layout (a parameter or module name of {@link VlmModel}) as
   * this layout writes it.
   *
   * @param original the name in the original layout
   * @return the name in this layout
   */
  public String name(String original) {
    if (this == ORIGINAL) {
      return original;
    }
    if (original.startsWith("language_model.model.")) {
      return "model.language_model." + original.substring("language_model.model.".length());
    }
    if (original.startsWith("language_model.lm_head")) {
      return original.substring("language_model.".length());
    }
    if (original.startsWith("vision_tower.") || original.startsWith("multi_modal_projector.")) {
      return "model." + original;
    }
    return original;
  }

  /**
   * Returns the original-layout name of a name in either layout.
   *
   * @param name a name in either layout
   * @return the name in the original layout
   */
  public static String original(String name) {
    return HfWeights.canonical(name);
  }
}
