package org.rlaifv.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rlaifv.Checkpoint;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.spi.BackendOptions;

/**
 * The labeler on ONNX Runtime: answers every polar question about one image from one shared
 * prefix.
 *
 * <p>Each question is asked as {@code "{question} Please answer yes or no."} inside the labeler's
 * chat template. The image and the template text before the prompt slot are the same for every
 * question: they are encoded and prefilled once, their key/value cache is copied to a batch, and
 * all questions continue from it in batches of {@link BackendOptions#batchSize()} (right-padded).
 * At each question's last position the softmax over the full vocabulary gives {@code pYes =
 * P(yes) + P(Yes)} and {@code pNo = P(no) + P(No)}; a verdict abstains when their sum falls under
 * {@link BackendOptions#abstainBelow()}. Behaves as the DJL judge does on the same weights.
 *
 * <pre>{@code
 * try (PolarJudge judge = OrtPolarJudge.open(Checkpoint.of(labelerOnnxDir), BackendOptions.defaults())) {
 *   List<ClaimVerdict> v = judge.judge(image, questions);
 * }
 * }</pre>
 *
 * <p>Owns the model sessions; the creator closes the judge. Thread-safe for concurrent {@link
 * #judge} calls (each call uses its own caches).
 */
public final class OrtPolarJudge implements PolarJudge {
  /** The instruction appended to every question. */
  public static final String SUFFIX = " Please answer yes or no.";

  private final OrtVlm vlm;
  private final double abstainBelow;
  private final int batchSize;
  private final long[] yesIds;
  private final long[] noIds;

  private OrtPolarJudge(OrtVlm vlm, BackendOptions options) {
    this.vlm = vlm;
    this.abstainBelow = options.abstainBelow();
    this.batchSize = options.batchSize();
    this.yesIds = answerIds("yes", "Yes");
    this.noIds = answerIds("no", "No");
  }

  /**
   * Opens a judge over an exported labeler directory.
   *
   * @param labeler the exported model (graphs, config.json, tokenizer.json, prompt_format.json)
   * @param options device, threads, batch size, abstention threshold, {@code onnx.*} properties
   * @return the judge, closed by the caller
   * @throws org.rlaifv.ModelFormatException naming the file when the directory is incomplete
   */
  public static OrtPolarJudge open(Checkpoint labeler, BackendOptions options) {
    OrtVlm vlm = OrtVlm.open(labeler.directory(), options);
    try {
      return new OrtPolarJudge(vlm, options);
    } catch (RuntimeException e) {
      vlm.close();
      throw e;
    }
  }

  private long[] answerIds(String... words) {
    return Arrays.stream(words).mapToLong(vlm.tokenizer::tokenId).distinct().toArray();
  }

  @Override
  public List<ClaimVerdict> judge(Image image, List<PolarQuestion> questions) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(questions, "questions");
    if (questions.isEmpty()) {
      return List.of();
    }
    String template = vlm.tokenizer.template;
    int slot = template.indexOf(OrtTokenizer.PROMPT_SLOT);
    long[] prefixIds = vlm.textIds(template.substring(0, slot));
    String tail = template.substring(slot + OrtTokenizer.PROMPT_SLOT.length());
    List<long[]> suffixes = new ArrayList<>(questions.size());
    for (PolarQuestion q : questions) {
      suffixes.add(vlm.tokenizer.encode(q.question() + SUFFIX + tail));
    }

    float[] features = vlm.imageFeatures(image);
    OrtVlm.Inputs prefix = vlm.imageInputs(features, List.of(prefixIds));
    List<ClaimVerdict> out = new ArrayList<>(questions.size());
    try (OrtKvCache empty = vlm.model.emptyCache(1);
        OrtModel.DecoderOutput pre =
            vlm.model.decode(prefix.embeds, 1, prefix.seq, prefix.mask, prefix.positions, empty)) {
      for (int from = 0; from < questions.size(); from += batchSize) {
        int to = Math.min(questions.size(), from + batchSize);
        judgeBatch(pre.cache(), prefix.seq, questions.subList(from, to), suffixes.subList(from, to), out);
      }
    }
    return out;
  }

  private void judgeBatch(
      OrtKvCache prefixCache,
      int prefixLen,
      List<PolarQuestion> questions,
      List<long[]> suffixes,
      List<ClaimVerdict> out) {
    int b = suffixes.size();
    int maxLen = suffixes.stream().mapToInt(s -> s.length).max().orElseThrow();
    long[] ids = new long[b * maxLen];
    Arrays.fill(ids, vlm.tokenizer.padId);
    long[] mask = new long[b * (prefixLen + maxLen)];
    long[] pos = new long[b * maxLen];
    for (int i = 0; i < b; i++) {
      long[] s = suffixes.get(i);
      System.arraycopy(s, 0, ids, i * maxLen, s.length);
      int row = i * (prefixLen + maxLen);
      Arrays.fill(mask, row, row + prefixLen + s.length, 1L);
      for (int j = 0; j < maxLen; j++) {
        pos[i * maxLen + j] = prefixLen + Math.min(j, s.length - 1);
      }
    }
    float[] embeds = vlm.model.embed(ids, b, maxLen);
    try (OrtKvCache batch = prefixCache.repeatRows(vlm.model.env(), b);
        OrtModel.DecoderOutput o = vlm.model.decode(embeds, b, maxLen, mask, pos, batch)) {
      for (int i = 0; i < b; i++) {
        double[] p = softmax(o.logits(i, suffixes.get(i).length - 1));
        double yes = 0;
        double no = 0;
        for (long id : yesIds) {
          yes += p[(int) id];
        }
        for (long id : noIds) {
          no += p[(int) id];
        }
        out.add(ClaimVerdict.of(questions.get(i), Math.min(1, yes), Math.min(1, no), abstainBelow));
      }
    }
  }

  static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  /** Closes the model sessions and the tokenizer. */
  @Override
  public void close() {
    vlm.close();
  }
}
