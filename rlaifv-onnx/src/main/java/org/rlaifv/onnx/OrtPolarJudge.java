package org.rlaifv.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rlaifv.Checkpoint;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.ModelFormatException;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Provenance;
import org.rlaifv.core.internal.AnswerTokens;
import org.rlaifv.core.internal.RightPadded;
import org.rlaifv.core.internal.Verdicts;
import org.rlaifv.spi.BackendOptions;

/**
 * The labeler on ONNX Runtime: answers every polar question about one image from one cached
 * prefix, behaving as the DJL judge does on the same weights.
 *
 * <p>Each question is asked as {@code "{question} Please answer yes or no."} inside the labeler's
 * chat template. The image and the token prefix all questions share are encoded and prefilled
 * once; batches of at most {@link BackendOptions#batchSize()} questions continue from it
 * right-padded, one decoder run each. With the export's shared-prefix decoder ({@value
 * OrtModel#SHARED_PREFIX_DECODER}) every question reads the one prefix cache in place; without it
 * (an export that has only the Optimum files) the cache is copied once per question. At each
 * question's last position (the first answer position) the softmax over the full vocabulary gives
 * {@code pYes = P(yes) + P(Yes)} and {@code pNo = P(no) + P(No)}, with the ids looked up as the
 * words would be tokenized after the prompt. A verdict abstains when {@code pYes + pNo} is under
 * {@link BackendOptions#abstainBelow()}. When the template puts the image after the question,
 * nothing image-bearing is shared and each question runs on its own.
 *
 * <pre>{@code
 * try (PolarJudge judge = OrtPolarJudge.open(Checkpoint.of(labelerOnnxDir), BackendOptions.defaults())) {
 *   List<ClaimVerdict> v = judge.judge(image, questions);
 * }
 * }</pre>
 *
 * <p>Owns the model sessions; the creator closes the judge. Concurrent {@link #judge} calls are
 * safe (each uses its own caches).
 */
public final class OrtPolarJudge implements PolarJudge {
  /** The instruction appended to every question. */
  public static final String ANSWER_INSTRUCTION = " Please answer yes or no.";

  private final OrtVlm vlm;
  private final double abstainBelow;
  private final int batchSize;
  private final int[] yesIds;
  private final int[] noIds;

  private OrtPolarJudge(OrtVlm vlm, BackendOptions options) {
    this.vlm = vlm;
    this.abstainBelow = options.abstainBelow();
    this.batchSize = options.batchSize();
    this.yesIds = answerIds(AnswerTokens.YES_WORDS.toArray(String[]::new));
    this.noIds = answerIds(AnswerTokens.NO_WORDS.toArray(String[]::new));
    for (int y : yesIds) {
      for (int n : noIds) {
        if (y == n) {
          throw new ModelFormatException(
              "tokenizer " + vlm.model.directory().resolve(OrtTokenizer.TOKENIZER)
                  + " gives yes and no the same first token " + y);
        }
      }
    }
  }

  /**
   * Opens a judge over an exported labeler directory.
   *
   * @param labeler the exported model (graphs, config.json, tokenizer.json, prompt_format.json)
   * @param options device, threads, batch size, abstention threshold, {@code onnx.*} properties
   * @return the judge, closed by the caller
   * @throws ModelFormatException naming the file (and input) when the directory is incomplete or
   *     a graph does not match the config
   */
  public static OrtPolarJudge open(Checkpoint labeler, BackendOptions options) {
    OrtVlm vlm = OrtVlm.open(labeler.directory(), options, true);
    try {
      return new OrtPolarJudge(vlm, options);
    } catch (RuntimeException e) {
      vlm.close();
      throw e;
    }
  }

  /**
   * Distinct first token ids of each word written right after a rendered question (the model may
   * answer with or without a leading space).
   */
  private int[] answerIds(String... words) {
    String rendered = vlm.tokenizer.render("is it" + ANSWER_INSTRUCTION);
    long unk = -1;
    try {
      unk = vlm.tokenizer.tokenId("<unk>");
    } catch (ModelFormatException e) {
      // the tokenizer has no <unk> token
    }
    return AnswerTokens.firstIds(vlm.textIds(rendered), w -> vlm.textIds(rendered + w),
        w -> vlm.tokenizer.encode(w), unk, "in " + vlm.model.directory(), words);
  }

  private static String questionText(PolarQuestion question) {
    return question.question().strip() + ANSWER_INSTRUCTION;
  }

  /**
   * Answers every question about one image from one cached prefix.
   *
   * @param image the image
   * @param questions the questions
   * @return one verdict per question, in order
   */
  @Override
  public List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(questions, "questions");
    if (questions.isEmpty()) {
      return List.of();
    }
    List<long[]> ids = new ArrayList<>(questions.size());
    for (PolarQuestion q : questions) {
      ids.add(vlm.promptIds(questionText(q)));
    }
    int shared = AnswerTokens.sharedPrefix(ids);
    float[] features = vlm.imageFeatures(image);
    int imagePos = vlm.imageIndex(ids.get(0));
    double[][] probs = new double[questions.size()][];
    if (shared <= imagePos) {
      for (int i = 0; i < ids.size(); i++) {
        OrtVlm.Inputs in = vlm.imageInputs(features, List.of(ids.get(i)));
        try (DecoderOutput o = vlm.model.prefill(in.embeds, 1, in.seq, in.mask, in.positions)) {
          probs[i] = yesNo(o.logits(0, in.seq - 1));
        }
      }
      return Verdicts.fromProbabilities(questions, probs, abstainBelow);
    }
    OrtVlm.Inputs pre = vlm.imageInputs(features, List.of(Arrays.copyOf(ids.get(0), shared)));
    try (DecoderOutput prefix =
        vlm.model.prefill(pre.embeds, 1, pre.seq, pre.mask, pre.positions)) {
      OrtKvCache prefixCache = prefix.cache();
      Decoder decoder = vlm.model.decoder();
      for (int start = 0; start < ids.size(); start += batchSize) {
        int c = Math.min(batchSize, ids.size() - start);
        // The rows read the prefix in place (shared-prefix decoder) or each get a copy of it.
        try (OrtKvCache rows = decoder.rowsAfter(prefixCache, c)) {
          int past = decoder.pastLength(prefixCache, rows);
          RightPadded batch =
              RightPadded.continuing(
                  ids.subList(start, start + c), shared, past, vlm.tokenizer.padId);
          int width = batch.width();
          float[] embeds = vlm.model.embed(batch.tokens(), c, width);
          try (DecoderOutput o =
              decoder.decode(
                  embeds, c, width, batch.mask(), batch.positions(), prefixCache, rows)) {
            int[] len = batch.lengths();
            for (int i = 0; i < c; i++) {
              probs[start + i] = yesNo(o.logits(i, len[i] - 1));
            }
          }
        }
      }
    }
    return Verdicts.fromProbabilities(questions, probs, abstainBelow);
  }

  private double[] yesNo(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    double yes = 0;
    double no = 0;
    for (int id : yesIds) {
      yes += Math.exp(logits[id] - max) / sum;
    }
    for (int id : noIds) {
      no += Math.exp(logits[id] - max) / sum;
    }
    return new double[] {yes, no};
  }

  /**
   * Describes this judge for a run's identity: the answer instruction, the abstention threshold
   * and the exported labeler with a digest of its graphs.
   *
   * @return the provenance
   */
  @Override
  public Provenance provenance() {
    return Provenance.of(this)
        .with("answerInstruction", ANSWER_INSTRUCTION)
        .with("abstainBelow", abstainBelow)
        .withCheckpoint("labeler", Checkpoint.of(vlm.model.directory()));
  }

  /** Closes the model sessions and the tokenizer. */
  @Override
  public void close() {
    vlm.close();
  }
}
