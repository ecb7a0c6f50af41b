package org.rlaifv.core.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Predicate;
import org.rlaifv.BackendException;
import org.rlaifv.TextGenerator;

/** One {@link TextGenerator#generateAll} call for the items of a batch that need a prompt. */
final class GeneratorBatch {
  private GeneratorBatch() {}

  /**
   * Prompts the generator once for every item that {@code ask} accepts, in one call.
   *
   * @param generator the generator
   * @param items the batch
   * @param ask which items need a prompt (the others get no output)
   * @param prompt the prompt of an item
   * @param what what the prompts are for, for the error message
   * @param calls counts the prompts sent
   * @return one output per item, in order; {@code null} for items not asked
   * @throws BackendException when the generator returns the wrong number of outputs
   */
  static <T> List<String> outputs(
      TextGenerator generator,
      List<T> items,
      Predicate<T> ask,
      Function<T, String> prompt,
      String what,
      LongAdder calls) {
    List<String> prompts = new ArrayList<>();
    List<Integer> asked = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (ask.test(items.get(i))) {
        prompts.add(prompt.apply(items.get(i)));
        asked.add(i);
      }
    }
    List<String> out = new ArrayList<>(Collections.nCopies(items.size(), (String) null));
    if (prompts.isEmpty()) {
      return out;
    }
    List<String> outputs = generator.generateAll(prompts);
    if (outputs == null || outputs.size() != prompts.size()) {
      throw new BackendException("text generator returned "
          + (outputs == null ? "null" : outputs.size()) + " outputs for " + prompts.size()
          + " " + what + " prompts");
    }
    calls.add(prompts.size());
    for (int k = 0; k < asked.size(); k++) {
      out.set(asked.get(k), outputs.get(k));
    }
    return out;
  }
}
