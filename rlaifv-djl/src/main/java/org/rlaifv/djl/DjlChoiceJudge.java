package org.rlaifv.djl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlaifv.BackendException;
import org.rlaifv.Checkpoint;
import org.rlaifv.ChoiceJudge;
import org.rlaifv.ChoiceQuestion;
import org.rlaifv.ChoiceVerdict;
import org.rlaifv.Image;
import org.rlaifv.ModelFormatException;
import org.rlaifv.Provenance;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.spi.BackendOptions;

/**
 * A labeler on DJL asked to pick one of a few answer words: every question about one image in one
 * prefix-cached batch, as {@link DjlPolarJudge} does for yes/no.
 *
 * <p>Each question's text is one user turn (the image, then the text as given: the question
 * carries its own instruction) in the model's chat template, with the generation prompt. At the
 * first answer position the softmax over the full vocabulary gives each option's probability: the
 * mass of the distinct first ids of the option as written, capitalised, and both with a leading
 * space (as the tokenizer writes them right after the rendered prompt; spellings the tokenizer
 * does not know are left out). Options whose ids overlap cannot be told apart and are refused. A
 * verdict abstains when the options' mass is under {@link BackendOptions#abstainBelow()}.
 *
 * <p>Closing the judge closes the model when {@code ownsModel} was set. Not thread-safe.
 *
 * <pre>{@code
 * try (DjlChoiceJudge judge = new DjlChoiceJudge(labeler, BackendOptions.defaults(), false)) {
 *   List<ChoiceVerdict> v = judge.judge(image, questions);
 * }
 * }</pre>
 */
public final class DjlChoiceJudge implements ChoiceJudge {

  private final LoadedVlm vlm;
  private final double abstainBelow;
  private final int batchSize;
  private final boolean ownsModel;
  private final Map<String, int[]> optionIds = new HashMap<>();

  /**
   * Creates a judge over an opened model.
   *
   * @param vlm the labeler
   * @param options abstention threshold (on the options' mass) and batch size
   * @param ownsModel whether {@link #close()} closes {@code vlm}
   */
  public DjlChoiceJudge(LoadedVlm vlm, BackendOptions options, boolean ownsModel) {
    this.vlm = vlm;
    this.abstainBelow = options.abstainBelow();
    this.batchSize = options.batchSize();
    this.ownsModel = ownsModel;
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
   * Answers every question about one image with one cached prefix and batched forwards.
   *
   * @param image the image
   * @param questions the questions
   * @return one verdict per question, in order
   * @throws ModelFormatException when the tokenizer has no token for an option, or two options of
   *     a question share a token
   * @throws BackendException when the model produces non-finite probabilities
   */
  @Override
  public List<ChoiceVerdict> judge(Image image, List<ChoiceQuestion> questions) {
    if (questions.isEmpty()) {
      return List.of();
    }
    // Questions with the same options form one batch (one set of id groups).
    Map<List<String>, List<Integer>> byOptions = new HashMap<>();
    for (int i = 0; i < questions.size(); i++) {
      byOptions.computeIfAbsent(questions.get(i).options(), k -> new ArrayList<>()).add(i);
    }
    ChoiceVerdict[] out = new ChoiceVerdict[questions.size()];
    for (Map.Entry<List<String>, List<Integer>> e : byOptions.entrySet()) {
      int[][] groups = groups(e.getKey());
      List<String> texts = new ArrayList<>();
      for (int i : e.getValue()) {
        texts.add(questions.get(i).question().strip());
      }
      double[][] mass = AnswerMass.cached(vlm, batchSize, image, texts, groups);
      for (int k = 0; k < texts.size(); k++) {
        ChoiceQuestion q = questions.get(e.getValue().get(k));
        out[e.getValue().get(k)] = verdict(q, mass[k]);
      }
    }
    return List.of(out);
  }

  private ChoiceVerdict verdict(ChoiceQuestion q, double[] mass) {
    double sum = 0;
    for (int i = 0; i < mass.length; i++) {
      if (!Double.isFinite(mass[i])) {
        throw new BackendException("the labeler produced non-finite probabilities for '"
            + q.question() + "'; its weights may be corrupt or diverged");
      }
      mass[i] = Math.max(0, Math.min(1, mass[i]));
      sum += mass[i];
    }
    List<Double> probs = new ArrayList<>(mass.length);
    for (double p : mass) {
      probs.add(sum > 1 ? p / sum : p);
    }
    return ChoiceVerdict.of(q, probs, abstainBelow);
  }

  /** The first-token ids of each option, refusing options that share one. */
  private int[][] groups(List<String> options) {
    int[][] groups = new int[options.size()][];
    Map<Integer, String> owner = new HashMap<>();
    for (int g = 0; g < options.size(); g++) {
      String o = options.get(g).strip();
      groups[g] = optionIds.computeIfAbsent(o, this::ids);
      for (int id : groups[g]) {
        String before = owner.putIfAbsent(id, o);
        if (before != null && !before.equals(o)) {
          throw new ModelFormatException("tokenizer " + vlm.tokenizer().file() + " starts options '"
              + before + "' and '" + o + "' with the same token " + id
              + "; a choice judge cannot tell them apart");
        }
      }
    }
    return groups;
  }

  private int[] ids(String option) {
    String cap = option.substring(0, 1).toUpperCase(Locale.ROOT) + option.substring(1);
    return AnswerMass.firstIds(vlm, "which one?", option, cap, " " + option, " " + cap);
  }

  /**
   * Describes this judge for a run's identity: the abstention threshold and, for a model loaded
   * from a directory, that checkpoint with a digest of its weights.
   *
   * @return the provenance
   */
  @Override
  public Provenance provenance() {
    Provenance p = Provenance.of(this).with("abstainBelow", abstainBelow);
    return vlm.directory().map(d -> p.withCheckpoint("labeler", Checkpoint.of(d))).orElse(p);
  }

  /** Closes the model when this judge owns it. */
  @Override
  public void close() {
    if (ownsModel) {
      vlm.close();
    }
  }
}
