package org.rlaifv.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rlaifv.BackendException;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.ModelFormatException;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.core.internal.AnswerTokens;
import org.rlaifv.core.internal.RightPadded;
import org.rlaifv.core.internal.Verdicts;
import org.rlaifv.djl.model.KvCache;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.VlmInputs;
import org.rlaifv.djl.model.VlmModel;
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
    String rendered = vlm.renderPrompt("is it" + ANSWER_INSTRUCTION);
    long unk = -1;
    try {
      unk = vlm.tokenizer().tokenId("<unk>");
    } catch (ModelFormatException e) {
      // the tokenizer has no <unk> token
    }
    return AnswerTokens.firstIds(vlm.textIds(rendered), w -> vlm.textIds(rendered + w),
        w -> vlm.tokenizer().encode(w), unk, vlm.tokenizer().file().toString(), words);
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
    List<long[]> ids = new ArrayList<>(questions.size());
    for (PolarQuestion q : questions) {
      ids.add(vlm.promptIds(questionText(q)));
    }
    int shared = AnswerTokens.sharedPrefix(ids);
    int imagePos = vlm.imageIndex(ids.get(0));
    if (shared <= imagePos) {
      // The image is not inside the shared prefix (template puts it after the question).
      return judgeEachFromScratch(image, questions);
    }
    VlmModel model = vlm.model();
    double[][] probs = new double[questions.size()][];
    try (NDManager m = model.manager().newSubManager();
        KvCache prefix = model.newCache(m)) {
      NDArray feats = model.imageFeatures(vlm.pixels(m, List.of(image)));
      VlmInputs pre = vlm.imageInputs(m, feats, List.of(Arrays.copyOf(ids.get(0), shared)));
      model.hiddenStates(pre.embeds(), pre.attentionMask(), pre.positionIds(), prefix);
      int past = prefix.length();
      for (int start = 0; start < ids.size(); start += batchSize) {
        int c = Math.min(batchSize, ids.size() - start);
        try (NDManager step = m.newSubManager();
            KvCache rows = KvCache.sharing(prefix, c)) {
          RightPadded batch =
              RightPadded.continuing(
                  ids.subList(start, start + c), shared, past, vlm.tokenizer().padId());
          int maxLen = batch.width();
          int[] len = batch.lengths();
          NDArray hidden =
              model.hiddenStates(
                  model.embed(step.create(batch.tokens(), new Shape(c, maxLen))),
                  step.create(batch.mask(), new Shape(c, past + maxLen)),
                  step.create(batch.positions(), new Shape(c, maxLen)),
                  rows);
          NDList lastRows = new NDList(c);
          for (int i = 0; i < c; i++) {
            lastRows.add(hidden.get(i, len[i] - 1));
          }
          float[] p = model.logits(NDArrays.stack(lastRows, 0)).softmax(-1).toFloatArray();
          int vocab = model.config().vocabSize();
          for (int i = 0; i < c; i++) {
            probs[start + i] = yesNo(p, i * vocab);
          }
        }
      }
    } catch (ai.djl.engine.EngineException e) {
      throw new BackendException("judging failed: " + e.getMessage(), e);
    }
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
    VlmModel model = vlm.model();
    double[][] probs = new double[questions.size()][];
    for (int i = 0; i < questions.size(); i++) {
      try (NDManager m = model.manager().newSubManager()) {
        VlmInputs in = vlm.promptInputs(m, image, questionText(questions.get(i)));
        NDArray hidden = model.hiddenStates(in.embeds(), in.attentionMask(), in.positionIds(), null);
        long t = hidden.getShape().get(1);
        float[] p = model.logits(hidden.get(":, " + (t - 1) + ", :")).softmax(-1).toFloatArray();
        probs[i] = yesNo(p, 0);
      }
    }
    return Verdicts.fromProbabilities(questions, probs, abstainBelow);
  }

  private double[] yesNo(float[] p, int offset) {
    double yes = 0;
    double no = 0;
    for (int id : yesIds) {
      yes += p[offset + id];
    }
    for (int id : noIds) {
      no += p[offset + id];
    }
    return new double[] {yes, no};
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
