package org.rlaifv.testkit.fakes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.rlaifv.TextGenerator;

/**
 * A text generator with canned outputs, for testing the LLM-prompted splitter and questioner (or
 * any code over a {@link TextGenerator}) without a model.
 *
 * <pre>{@code
 * ScriptedTextGenerator llm = ScriptedTextGenerator.inOrder(
 *     "### Facts:\n- there is a red circle.",
 *     "### Modified sentences:\n- is there a red circle?");
 * }</pre>
 *
 * <p>Every prompt received is recorded ({@link #prompts()}). Thread-safe.
 */
public final class ScriptedTextGenerator implements TextGenerator {
  private final Function<String, String> script;
  private final List<String> inOrder;
  private final List<String> prompts = new ArrayList<>();

  private ScriptedTextGenerator(Function<String, String> script, List<String> inOrder) {
    this.script = script;
    this.inOrder = inOrder;
  }

  /**
   * Creates a generator whose i-th call returns the i-th output, whatever the prompt.
   *
   * @param outputs the outputs, in call order
   * @return the generator; a call past the last output throws {@link IllegalStateException}
   */
  public static ScriptedTextGenerator inOrder(String... outputs) {
    return inOrder(List.of(outputs));
  }

  /**
   * Creates a generator whose i-th call returns the i-th output, whatever the prompt.
   *
   * @param outputs the outputs, in call order
   * @return the generator; a call past the last output throws {@link IllegalStateException}
   */
  public static ScriptedTextGenerator inOrder(List<String> outputs) {
    return new ScriptedTextGenerator(null, List.copyOf(outputs));
  }

  /**
   * Creates a generator that looks the exact prompt up in a map.
   *
   * @param outputsByPrompt prompt to output
   * @return the generator; an unknown prompt throws {@link IllegalStateException}
   */
  public static ScriptedTextGenerator byPrompt(Map<String, String> outputsByPrompt) {
    Map<String, String> table = Map.copyOf(outputsByPrompt);
    return new ScriptedTextGenerator(p -> {
      String out = table.get(p);
      if (out == null) {
        throw new IllegalStateException("ScriptedTextGenerator has no output for prompt " + preview(p));
      }
      return out;
    }, null);
  }

  /**
   * Creates a generator computing the output from the prompt.
   *
   * @param outputs maps a prompt to its output; must not return null
   * @return the generator
   */
  public static ScriptedTextGenerator of(Function<String, String> outputs) {
    return new ScriptedTextGenerator(Objects.requireNonNull(outputs, "outputs"), null);
  }

  /**
   * Returns the scripted output for the prompt and records the prompt.
   *
   * @param prompt the prompt
   * @return the output
   * @throws NullPointerException when the prompt is null
   * @throws IllegalStateException when the script has no output for this call
   */
  @Override
  public String generate(String prompt) {
    Objects.requireNonNull(prompt, "prompt");
    int call;
    synchronized (prompts) {
      call = prompts.size();
      prompts.add(prompt);
    }
    if (inOrder != null) {
      if (call >= inOrder.size()) {
        throw new IllegalStateException("ScriptedTextGenerator has " + inOrder.size()
            + " outputs but was called " + (call + 1) + " times; last prompt " + preview(prompt));
      }
      return inOrder.get(call);
    }
    return Objects.requireNonNull(script.apply(prompt), () -> "scripted output for " + preview(prompt));
  }

  /**
   * Returns the prompts received so far, in call order.
   *
   * @return a snapshot
   */
  public List<String> prompts() {
    synchronized (prompts) {
      return List.copyOf(prompts);
    }
  }

  private static String preview(String prompt) {
    String p = prompt.replace('\n', ' ');
    return "\"" + (p.length() > 80 ? p.substring(0, 77) + "..." : p) + "\"";
  }
}
