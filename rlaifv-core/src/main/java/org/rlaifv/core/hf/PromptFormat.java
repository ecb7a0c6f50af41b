package org.rlaifv.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.io.AtomicFiles;

/**
 * This SDK's earlier prompt format, {@code prompt_format.json}: a template with one {@code
 * {prompt}} slot and one image placeholder, and the names of the special tokens. Model directories
 * that hold it still open; {@link #chatTemplate()} gives the equivalent Jinja chat template, which
 * is what they are saved with.
 *
 * <pre>{@code
 * PromptFormat f = PromptFormat.defaults();          // "<image> USER: {prompt} ASSISTANT:"
 * String text = f.render("describe the image.");
 * }</pre>
 *
 * @param template the chat template, containing {@code {prompt}} and {@code imageToken} once each
 * @param imageToken the image placeholder token, expanded to the image's features
 * @param bosToken beginning-of-sequence token
 * @param eosToken end-of-sequence token, ends responses
 * @param padToken padding token
 * @param addBos whether sequences start with the BOS token
 */
public record PromptFormat(
    String template,
    String imageToken,
    String bosToken,
    String eosToken,
    String padToken,
    boolean addBos) {

  /** The file name in a model directory. */
  public static final String FILE_NAME = "prompt_format.json";

  /** The prompt slot in the template. */
  public static final String PROMPT_SLOT = "{prompt}";

  /**
   * Validates the template.
   *
   * @throws ModelFormatException naming prompt_format.json when the template lacks the prompt
   *     slot or image token or holds either twice, or a token is blank
   */
  public PromptFormat {
    for (String[] f : new String[][] {{"template", template}, {"image_token", imageToken},
        {"bos_token", bosToken}, {"eos_token", eosToken}, {"pad_token", padToken}}) {
      if (f[1] == null || f[1].isBlank()) {
        throw new ModelFormatException(FILE_NAME + ": field " + f[0] + " is missing or blank");
      }
    }
    if (count(template, PROMPT_SLOT) != 1) {
      throw new ModelFormatException(FILE_NAME + ": template must contain " + PROMPT_SLOT
          + " exactly once: " + template);
    }
    if (count(template, imageToken) != 1) {
      throw new ModelFormatException(FILE_NAME + ": template must contain the image token "
          + imageToken + " exactly once: " + template);
    }
  }

  /**
   * Returns the default LLaVA-1.5-style format: {@code "<image> USER: {prompt} ASSISTANT:"} with
   * {@code <s>}, {@code </s>}, {@code <pad>}, BOS added.
   *
   * @return the default format
   */
  public static PromptFormat defaults() {
    return withTemplate("<image> USER: {prompt} ASSISTANT:");
  }

  /**
   * Returns the default tokens with another template.
   *
   * @param template the template, with {@code {prompt}} and {@code <image>}
   * @return the format
   */
  public static PromptFormat withTemplate(String template) {
    return new PromptFormat(template, "<image>", "<s>", "</s>", "<pad>", true);
  }

  /**
   * Fills the template with a prompt.
   *
   * @param prompt the user text
   * @return the rendered text, with the image placeholder
   */
  public String render(String prompt) {
    return template.replace(PROMPT_SLOT, prompt);
  }

  /**
   * Reads a prompt_format.json.
   *
   * @param file the file
   * @return the format
   * @throws ModelFormatException naming the file when it is unreadable or invalid
   */
  public static PromptFormat read(Path file) {
    try {
      JsonNode n = HfJson.read(file);
      PromptFormat d = defaults();
      return new PromptFormat(
          n.path("template").asText(null),
          n.path("image_token").asText(d.imageToken()),
          n.path("bos_token").asText(d.bosToken()),
          n.path("eos_token").asText(d.eosToken()),
          n.path("pad_token").asText(d.padToken()),
          n.path("add_bos").asBoolean(true));
    } catch (ModelFormatException e) {
      if (e.getMessage().contains(file.toString())) {
        throw e;
      }
      throw new ModelFormatException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the format as JSON, atomically.
   *
   * @param file the destination
   * @throws UncheckedIOException when the file cannot be written
   */
  public void write(Path file) {
    ObjectNode n = HfJson.MAPPER.createObjectNode();
    n.put("template", template);
    n.put("image_token", imageToken);
    n.put("bos_token", bosToken);
    n.put("eos_token", eosToken);
    n.put("pad_token", padToken);
    n.put("add_bos", addBos);
    try {
      AtomicFiles.write(file, HfJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Returns the Jinja chat template that renders exactly what {@link #render} renders for one user
   * turn (image, then text) with the generation prompt: the text before {@code {prompt}} (with the
   * image token), the user's text, and the text after it as the generation prompt. Assistant turns
   * follow as {@code " {text}{eos_token}"}. BOS is written by the template when {@link #addBos}.
   *
   * @return the template source
   */
  public String chatTemplate() {
    int slot = template.indexOf(PROMPT_SLOT);
    String before = jinjaString(template.substring(0, slot));
    String after = jinjaString(template.substring(slot + PROMPT_SLOT.length()));
    String text =
        "{% if message['content'] is string %}{{ message['content'] }}{% else %}"
            + "{% for part in message['content'] %}{% if part['type'] == 'text' %}"
            + "{{ part['text'] }}{% endif %}{% endfor %}{% endif %}";
    return (addBos ? "{{ bos_token }}" : "")
        + "{% for message in messages %}"
        + "{% if message['role'] == 'user' %}{{ " + before + " }}" + text
        + "{% elif message['role'] == 'assistant' %}{{ " + after + " }} " + text + "{{ eos_token }}"
        + "{% endif %}{% endfor %}"
        + "{% if add_generation_prompt %}{{ " + after + " }}{% endif %}";
  }

  private static String jinjaString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
      n++;
    }
    return n;
  }
}
