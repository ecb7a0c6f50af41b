package org.rlaifv.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.rlaifv.BackendException;
import org.rlaifv.HolisticVerdict;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseScorer;
import org.rlaifv.ScoredResponse;

/**
 * What the holistic scorers share: each response is put into one question about the whole answer
 * (a template with an {@code {answer}} slot), the distinct questions of one prompt go to the
 * labeler in one call, and each response gets one {@link HolisticVerdict}. A blank response gets
 * no verdict and stays unscored.
 */
abstract sealed class WholeResponseScorer implements ResponseScorer
    permits HolisticScorer, RatingScorer {

  /** The slot in a question template that the response's text fills. */
  static final String ANSWER = "{answer}";

  private final String template;
  private final int maxAnswerWords;
  private final Runnable closeJudge;
  private final LongAdder prompts = new LongAdder();
  private final LongAdder responses = new LongAdder();
  private final LongAdder blank = new LongAdder();
  private final LongAdder truncated = new LongAdder();
  private final LongAdder judged = new LongAdder();
  private final LongAdder abstained = new LongAdder();

  /**
   * Validates the settings.
   *
   * @param closeJudge what {@link #close()} does: closes the judge when the scorer owns it
   */
  WholeResponseScorer(String template, int maxAnswerWords, Runnable closeJudge) {
    Objects.requireNonNull(template, "template");
    int at = template.indexOf(ANSWER);
    if (at < 0 || template.indexOf(ANSWER, at + 1) >= 0) {
      throw new InvalidInputException("question template '" + template + "' must contain "
          + ANSWER + " exactly once, where the response goes");
    }
    if (template.replace(ANSWER, "").isBlank()) {
      throw new InvalidInputException("question template '" + template
          + "' asks nothing besides the response");
    }
    if (maxAnswerWords < 1) {
      throw new InvalidInputException("maxAnswerWords must be at least 1, got " + maxAnswerWords);
    }
    this.template = template;
    this.maxAnswerWords = maxAnswerWords;
    this.closeJudge = closeJudge;
  }

  /** Closes the judge when this scorer owns it (made by {@code owningJudge}). */
  @Override
  public final void close() {
    closeJudge.run();
  }

  /**
   * Returns the question template.
   *
   * @return the template, with one {@code {answer}} slot
   */
  public String template() {
    return template;
  }

  /**
   * Returns how many words of a response go into the question (the rest is cut).
   *
   * @return at least 1
   */
  public int maxAnswerWords() {
    return maxAnswerWords;
  }

  /**
   * Returns the question asked about a response: the template with the response's words (white
   * space collapsed to single spaces, at most {@link #maxAnswerWords()} of them) in its slot.
   *
   * @param responseText the response
   * @return the question, or an empty string when the response is blank
   */
  public String question(String responseText) {
    if (responseText.isBlank()) {
      return "";
    }
    List<String> words = List.of(responseText.strip().split("\\s+"));
    return template.replace(ANSWER,
        String.join(" ", words.subList(0, Math.min(words.size(), maxAnswerWords))));
  }

  /**
   * Asks the labeler the distinct questions about one prompt's image, in one call.
   *
   * @param prompt the prompt (for its image and for messages)
   * @param questions distinct questions, at least one
   * @return one verdict per question, in order, each naming its question
   */
  abstract List<HolisticVerdict> judge(Prompt prompt, List<String> questions);

  /**
   * Scores all candidates of one prompt with one labeler call.
   *
   * @param prompt the prompt
   * @param candidates its candidate responses
   * @return one scored response per candidate, in order; blank ones unscored
   * @throws InvalidInputException when a response answers another prompt
   * @throws BackendException naming the prompt when the labeler returns the wrong number of
   *     verdicts, a null one, one on a question not asked, or fails with an exception that is not
   *     an SDK exception
   */
  @Override
  public final List<ScoredResponse> scoreAll(Prompt prompt, List<Response> candidates) {
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(candidates, "responses");
    for (Response r : candidates) {
      if (!r.promptId().equals(prompt.id())) {
        throw new InvalidInputException("response " + r.index() + " answers prompt "
            + r.promptId() + ", not prompt " + prompt.id());
      }
    }
    prompts.increment();
    responses.add(candidates.size());
    List<String> asked = new ArrayList<>(candidates.size());
    Map<String, HolisticVerdict> byQuestion = new LinkedHashMap<>();
    for (Response r : candidates) {
      String q = question(r.text());
      asked.add(q);
      if (q.isEmpty()) {
        blank.increment();
      } else {
        if (r.text().strip().split("\\s+").length > maxAnswerWords) {
          truncated.increment();
        }
        byQuestion.putIfAbsent(q, null);
      }
    }
    if (!byQuestion.isEmpty()) {
      List<String> unique = List.copyOf(byQuestion.keySet());
      List<HolisticVerdict> verdicts =
          ScorerCalls.call("judge", prompt, () -> judge(prompt, unique));
      ScorerCalls.checkSize(verdicts, unique.size(), "judge", "verdicts", prompt);
      judged.add(unique.size());
      for (int i = 0; i < unique.size(); i++) {
        HolisticVerdict v = verdicts.get(i);
        if (!v.question().equals(unique.get(i))) {
          throw new BackendException("judge " + provenance().name() + " returned a verdict on '"
              + v.question() + "' where '" + unique.get(i) + "' was asked, for prompt "
              + prompt.id() + "; verdicts must come in question order");
        }
        byQuestion.put(unique.get(i), v);
      }
    }
    List<ScoredResponse> out = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      String q = asked.get(i);
      if (q.isEmpty()) {
        out.add(new ScoredResponse(candidates.get(i), List.of()));
        continue;
      }
      HolisticVerdict v = byQuestion.get(q);
      if (v.abstained()) {
        abstained.increment();
      }
      out.add(ScoredResponse.holistic(candidates.get(i), v));
    }
    return out;
  }

  /**
   * Returns a snapshot of the counters accumulated since this scorer was created.
   *
   * @return the counters
   */
  public Stats stats() {
    return new Stats(prompts.sum(), responses.sum(), blank.sum(), truncated.sum(), judged.sum(),
        abstained.sum());
  }

  /**
   * Counters of a holistic scorer.
   *
   * @param prompts prompts scored
   * @param responses responses scored
   * @param blankResponses blank responses (left unscored, never asked about)
   * @param truncatedResponses responses cut to {@code maxAnswerWords} words in their question
   * @param judgedQuestions distinct questions sent to the labeler
   * @param abstainedResponses responses whose verdict abstained (left unscored)
   */
  public record Stats(long prompts, long responses, long blankResponses, long truncatedResponses,
      long judgedQuestions, long abstainedResponses) {}
}
