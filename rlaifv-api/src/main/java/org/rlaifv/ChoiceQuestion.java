package org.rlaifv;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A question about an image answered by one of a few words, for example a rating question whose
 * answers are "one" to "five". The question text is asked as is, instruction included (the judge
 * adds nothing but its chat template).
 *
 * @param question the full question, not blank
 * @param options the answer words, at least two, distinct, none blank
 */
public record ChoiceQuestion(String question, List<String> options) {

  /**
   * Validates and copies the fields.
   *
   * @throws InvalidInputException when the question or an option is blank, there are fewer than
   *     two options, or an option repeats
   */
  public ChoiceQuestion {
    Checks.nonBlank(question, "choice question");
    options = Checks.copy(options, "options of '" + question + "'");
    if (options.size() < 2) {
      throw new InvalidInputException(
          "choice question '" + question + "' needs at least two options, got " + options);
    }
    Set<String> seen = new HashSet<>();
    for (String o : options) {
      Checks.nonBlank(o, "option of '" + question + "'");
      if (!seen.add(o.strip())) {
        throw new InvalidInputException(
            "choice question '" + question + "' lists option '" + o + "' twice");
      }
    }
  }
}
