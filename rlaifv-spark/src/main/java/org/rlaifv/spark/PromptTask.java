package org.rlaifv.spark;

import java.io.Serializable;
import org.rlaifv.Image;
import org.rlaifv.Prompt;

/**
 * One pending prompt as it travels to an executor: its position among the stage's pending prompts,
 * the prompt itself (pixels, not a path, so executors need no access to the driver's files) and,
 * for a SCORE stage, its sampled responses as JSON.
 *
 * @param index the position in the stage's pending prompts
 * @param id the prompt id
 * @param width the image width
 * @param height the image height
 * @param rgb the image pixels
 * @param text the instruction
 * @param input the prompt's SAMPLE record as JSON (SCORE), or null (SAMPLE)
 */
record PromptTask(int index, String id, int width, int height, byte[] rgb, String text,
    String input) implements Serializable {
  private static final long serialVersionUID = 1L;

  static PromptTask of(int index, Prompt p, String input) {
    Image img = p.image();
    return new PromptTask(index, p.id(), img.width(), img.height(), img.rgb(), p.text(), input);
  }

  Prompt prompt() {
    return new Prompt(id, new Image(width, height, rgb), text);
  }
}
