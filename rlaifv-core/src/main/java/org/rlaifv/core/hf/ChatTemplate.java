package org.rlaifv.core.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlaifv.ModelFormatException;

/**
 * A model's Jinja chat template, rendered as transformers' {@code apply_chat_template} renders it.
 *
 * <p>{@link #fromModelDirectory(Path)} takes the template a processor-and-tokenizer pair uses, in
 * transformers' order: {@code chat_template.json} (the processor's legacy file, which a processor
 * prefers when present), then {@code chat_template.jinja}, then the {@code chat_template} field of
 * {@code processor_config.json}, then the {@code chat_template} field of
 * {@code tokenizer_config.json} (a string, or a list of {@code {name, template}} of which
 * {@code "default"} is used). The template receives {@code messages}, {@code add_generation_prompt},
 * {@code tools} and {@code documents} (none), the special tokens of {@code tokenizer_config.json}
 * ({@code bos_token}, {@code eos_token}, {@code unk_token}, {@code pad_token}) and any extra
 * variables. See {@link TemplateEngine} for the Jinja2 behaviour supplied on top of jinjava.
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * ChatTemplate template = ChatTemplate.fromModelDirectory(modelDir);
 * String prompt = template.renderUserTurn("Is there a red circle?", true);
 * // llava-1.5: "USER: <image>\nIs there a red circle? ASSISTANT:"
 * }</pre>
 */
public final class ChatTemplate {
  /** The processor's legacy template file, {@code {"chat_template": "..."}}. */
  public static final String JSON_FILE = "chat_template.json";

  /** The raw template file. */
  public static final String JINJA_FILE = "chat_template.jinja";

  /** The processor's configuration, which older checkpoints put the template in. */
  public static final String PROCESSOR_CONFIG_FILE = "processor_config.json";

  private final String source;
  private final String name;
  private final String normalized;
  private final Map<String, Object> variables;

  private ChatTemplate(String source, String name, Map<String, Object> variables) {
    this.source = source;
    this.name = name;
    try {
      this.normalized = JinjaSource.normalize(source);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("chat template " + name + " is malformed: " + e.getMessage(), e);
    }
    this.variables = new HashMap<>(variables);
  }

  /**
   * Creates a template from its text.
   *
   * @param template the Jinja source as published
   * @param name names the template in error messages (for example its file)
   * @param config supplies the special tokens
   * @return the template
   * @throws ModelFormatException naming the template when a tag is unterminated
   */
  public static ChatTemplate of(String template, String name, TokenizerConfig config) {
    return new ChatTemplate(template, name, new LinkedHashMap<>(config.templateSpecialTokens()));
  }

  /**
   * Finds and reads the chat template of a model directory, with the special tokens of its
   * {@code tokenizer_config.json}.
   *
   * @param modelDirectory the directory
   * @return the template
   * @throws ModelFormatException naming the directory when it has no template, or the file and
   *     field when one is malformed
   */
  public static ChatTemplate fromModelDirectory(Path modelDirectory) {
    TokenizerConfig config = TokenizerConfig.fromModelDirectory(modelDirectory);
    Path json = modelDirectory.resolve(JSON_FILE);
    if (Files.isRegularFile(json)) {
      return of(templateField(json), json.toString(), config);
    }
    Path jinja = modelDirectory.resolve(JINJA_FILE);
    if (Files.isRegularFile(jinja)) {
      try {
        return of(Files.readString(jinja), jinja.toString(), config);
      } catch (IOException e) {
        throw new ModelFormatException("cannot read " + jinja + ": " + e.getMessage(), e);
      }
    }
    Path processor = modelDirectory.resolve(PROCESSOR_CONFIG_FILE);
    if (Files.isRegularFile(processor)) {
      JsonNode field = HfJson.read(processor).path("chat_template");
      if (field.isTextual()) {
        return of(field.asText(), processor + " (field chat_template)", config);
      }
    }
    Map<String, String> templates = config.chatTemplates();
    Path tokenizerConfig = modelDirectory.resolve(TokenizerConfig.FILE_NAME);
    if (templates.containsKey("default")) {
      return of(templates.get("default"), tokenizerConfig + " (field chat_template)", config);
    }
    if (!templates.isEmpty()) {
      throw new ModelFormatException(tokenizerConfig + ": field chat_template has templates "
          + templates.keySet() + " but none named \"default\"");
    }
    throw new ModelFormatException("no chat template in " + modelDirectory + ": looked for " + JSON_FILE + ", "
        + JINJA_FILE + ", and a chat_template field in " + PROCESSOR_CONFIG_FILE + " and " + TokenizerConfig.FILE_NAME);
  }

  private static String templateField(Path json) {
    JsonNode field = HfJson.read(json).path("chat_template");
    if (!field.isTextual()) {
      throw new ModelFormatException(json + ": field chat_template must be a string");
    }
    return field.asText();
  }

  /**
   * Returns a copy that passes more variables to the template (they override the special tokens).
   *
   * @param extra variable name to value
   * @return the new template
   */
  public ChatTemplate withVariables(Map<String, ?> extra) {
    Map<String, Object> merged = new LinkedHashMap<>(variables);
    merged.putAll(extra);
    return new ChatTemplate(source, name, merged);
  }

  /**
   * Renders a conversation.
   *
   * @param messages each a map with {@code role} and {@code content} (a string, or a list of
   *     {@code {type: "image"}} and {@code {type: "text", text: ...}} items)
   * @param addGenerationPrompt whether to end with the assistant turn's opening
   * @return the prompt text
   * @throws TemplateException naming the template when it raises or cannot be rendered
   */
  public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt) {
    return render(messages, addGenerationPrompt, Map.of());
  }

  /**
   * Renders a conversation with extra template variables for this call.
   *
   * @param messages the conversation, as for {@link #render(List, boolean)}
   * @param addGenerationPrompt whether to end with the assistant turn's opening
   * @param extra more variables, overriding the others
   * @return the prompt text
   * @throws TemplateException naming the template when it raises or cannot be rendered
   */
  public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt, Map<String, ?> extra) {
    Map<String, Object> vars = new HashMap<>(variables);
    vars.put("messages", new ArrayList<>(messages));
    vars.put("add_generation_prompt", addGenerationPrompt);
    vars.put("tools", null);
    vars.put("documents", null);
    vars.putAll(extra);
    return TemplateEngine.render(normalized, vars, name);
  }

  /**
   * Renders one user turn followed by the generation prompt: the message content is
   * {@code [{"type": "image"}, {"type": "text", "text": text}]} (image first), or only the text
   * item without an image. This is the content form of vision-language processors' templates
   * (LLaVA, Qwen-VL); text-only templates expect a string content and {@link #render}.
   *
   * @param text the user's text
   * @param withImage whether the turn carries an image placeholder
   * @return the prompt text
   * @throws TemplateException naming the template when it raises or cannot be rendered
   */
  public String renderUserTurn(String text, boolean withImage) {
    List<Map<String, Object>> content = new ArrayList<>();
    if (withImage) {
      content.add(Map.of("type", "image"));
    }
    content.add(Map.of("type", "text", "text", text));
    return render(List.of(Map.of("role", "user", "content", content)), true);
  }

  /**
   * Renders one text-only user turn followed by the generation prompt, as a text model's
   * tokenizer renders {@code [{"role": "user", "content": text}]} with {@code
   * add_generation_prompt=True}: the content is the string itself, the form the templates of
   * text-only chat models (Llama, Mistral, Qwen2) expect.
   *
   * @param text the user's text
   * @return the prompt text
   * @throws TemplateException naming the template when it raises or cannot be rendered
   */
  public String renderTextTurn(String text) {
    return render(List.of(Map.of("role", "user", "content", text)), true);
  }

  /**
   * Returns the template source as published.
   *
   * @return the Jinja text
   */
  public String source() {
    return source;
  }

  /**
   * Returns what names the template in messages: its file, and field where it is one.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "ChatTemplate[" + name + "]";
  }
}
