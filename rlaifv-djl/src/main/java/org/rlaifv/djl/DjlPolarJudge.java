package org.rlaifv.djl;

import java.util.ArrayList;
import java.util.List;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.ModelFormatException;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.core.internal.AnswerTokens;
import org.rlaifv.core.internal.Verdicts;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.spi.BackendOptions;

/**
 * The labeler on DJL: answers every polar question about one image with one prefix-cached batch.
 *
 * <p>Each question is asked as {@code "{question} Please answer yes or no."}: one user turn (the
 * image, then the question) in the model's chat template, with the generation prompt. The image and the token prefix that all questions
 * share (the template up to the question) are run once into a key/value cache; the rest of every
 * question continues from it as one right-padded batch in one forward pass. At each question's
 * last position (the first answer position) the softmax over the full vocabulary gives {@code
 * pYes} (the mass of the distinct first ids of "Yes", "yes", " Yes" and " yes" as the tokenizer
 * writes them right after the rendered prompt) and likewise {@code pNo}. A verdict abstains when {@code pYes
 * + pNo} is under {@link BackendOptions#abstainBelow()}.
 *
 * <p>Closing the judge closes the model when it was opened on a model directory (by {@link
 * DjlBackendProvider}); a judge built on a caller's {@link LoadedVlm} leaves it open. Not
 * thread-safe.
 *
 * <pre>{@code
 * try (DjlPolarJudge judge = new DjlPolarJudge(labeler, BackendOptions.defaults(), false)) {
 *   List<ClaimVerdict> v = judge.judge(image, questions);
 * }
 * }</pre>
 */
public final class DjlPolarJudge implements PolarJudge {

  /** The suffix appended to every question. */
  public static final String ANSWER_INSTRUCTION = " Please answer yes or no.";

  private final LoadedVlm vlm;
  private final double abstainBelow;
  private final int batchSize;
  private final boolean ownsModel;
  private final int[] yesIds;
  private final int[] noIds;

  /**
   * Creates a judge over an opened labeler.
   *
   * @param vlm the labeler
   * @param options abstention threshold and batch size
   * @param ownsModel whether {@link #close()} closes {@code vlm}
   * @throws ModelFormatException when the tokenizer cannot tell yes from no
   */
  public DjlPolarJudge(LoadedVlm vlm, BackendOptions options, boolean ownsModel) {
    this.vlm = vlm;
    this.abstainBelow = options.abstainBelow();
    this.batchSize = options.batchSize();
    this.ownsModel = ownsModel;
    this.yesIds = answerIds(AnswerTokens.YES_WORDS.toArray(String[]::new));
    this.noIds = answerIds(AnswerTokens.NO_WORDS.toArray(String[]::new));
    for (int y : yesIds) {
      for (int n : noIds) {
        if (y == n) {
          throw new ModelFormatException(
              "tokenizer " + vlm.tokenizer().file() + " gives yes and no the same first token " + y);
        }
      }
    }
  }

  /**
   * Distinct first token ids of each word written right after a rendered question (the model may
   * answer with or without a leading space).
   */
  private int[] answerIds(String... words) {
    return AnswerMass.firstIds(vlm, "is it" + ANSWER_INSTRUCTION, words);
  }

  /**
   * Returns the model judging.
   *
   * @return the labeler
   */
  public LoadedVlm model() {
    return vlm;
  }

  /**
   * Renders a question as the labeler sees it, before the chat template.
   *
   * @param question the polar question
   * @return {@code "{question} Please answer yes or no."}
   */
  public static String questionText(PolarQuestion question) {
    return question.question().strip() + ANSWER_INSTRUCTION;
  }

  /**
   * Answers every question about one image with one cached prefix and one batched forward.
   *
   * @param image the image
   * @param questions the questions
   * @return one verdict per question, in order
   */
  @Override
  public List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions) {
    if (questions.isEmpty()) {
      return List.of();
    }
    List<String> texts = new ArrayList<>(questions.size());
    for (PolarQuestion q : questions) {
      texts.add(questionText(q));
    }
    double[][] probs =
        AnswerMass.cached(vlm, batchSize, image, texts, new int[][] {yesIds, noIds});
    return Verdicts.fromProbabilities(questions, probs, abstainBelow);
  }

  /**
   * Answers each question with its own full forward pass (image, template and question, no cache):
   * the reference method, used as the benchmark baseline and the tests' oracle.
   *
   * @param image the image
   * @param questions the questions
   * @return one verdict per question, in order
   */
  public List<ClaimVerdict> judgeEachFromScratch(Image image, List<PolarQuestion> questions) {
    List<String> texts = new ArrayList<>(questions.size());
    for (PolarQuestion q : questions) {
      texts.add(questionText(q));
    }
    double[][] probs = AnswerMass.fromScratch(vlm, image, texts, new int[][] {yesIds, noIds});
    return Verdicts.fromProbabilities(questions, probs, abstainBelow);
  }

  /**
   * Describes this judge for a run's identity: the answer instruction, the abstention threshold
   * and, for a labeler loaded from a directory, that checkpoint with a digest of its weights.
   *
   * @return the provenance
   */
  @Override
  public org.rlaifv.Provenance provenance() {
    org.rlaifv.Provenance p =
        org.rlaifv.Provenance.of(this)
            .with("answerInstruction", ANSWER_INSTRUCTION)
            .with("abstainBelow", abstainBelow);
    return vlm.directory()
        .map(d -> p.withCheckpoint("labeler", org.rlaifv.Checkpoint.of(d)))
        .orElse(p);
  }

  /** Closes the model when this judge owns it. */
  @Override
  public void close() {
    if (ownsModel) {
      vlm.close();
    }
  }
}
