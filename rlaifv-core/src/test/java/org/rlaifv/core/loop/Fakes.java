package org.rlaifv.core.loop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import org.rlaifv.Candidates;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.DpoTrainer;
import org.rlaifv.Image;
import org.rlaifv.PairSelector;
import org.rlaifv.PolarQuestion;
import org.rlaifv.PreferencePair;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ResponseSampler;
import org.rlaifv.ResponseScorer;
import org.rlaifv.SamplingParams;
import org.rlaifv.ScoredResponse;
import org.rlaifv.Seeds;
import org.rlaifv.TrainingMetrics;
import org.rlaifv.TrainingRequest;
import org.rlaifv.TrainingResult;

/** Scripted, deterministic stand-ins for the loop's roles. */
final class Fakes {
  private Fakes() {}

  /** Thrown by a fake at its scripted failure point, standing in for a crash. */
  static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Crash(String where) {
      super("scripted crash in " + where);
    }
  }

  /** Counts calls across all fakes and throws at the scripted call number (0 = never). */
  static final class Failures {
    private int calls;
    private int failAt;

    Failures(int failAt) {
      this.failAt = failAt;
    }

    void failAt(int n) {
      calls = 0;
      failAt = n;
    }

    int calls() {
      return calls;
    }

    void tick(String where) {
      calls++;
      if (calls == failAt) {
        throw new Crash(where);
      }
    }
  }

  static List<Prompt> prompts(int n) {
    List<Prompt> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] px = new byte[4 * 4 * 3];
      for (int j = 0; j < px.length; j++) {
        px[j] = (byte) (i * 31 + j);
      }
      out.add(new Prompt("p" + i, new Image(4, 4, px), "describe image " + i + "."));
    }
    return out;
  }

  static Checkpoint initialPolicy(Path dir) {
    try {
      Path d = Files.createDirectories(dir.resolve("sft"));
      Files.writeString(d.resolve("counter"), "0");
      return new Checkpoint("sft", d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int counter(Checkpoint c) {
    try {
      return Integer.parseInt(Files.readString(c.directory().resolve("counter")).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String[] COLOURS = {"red", "green", "blue", "yellow"};
  private static final String[] SHAPES = {"circle", "square", "triangle", "cross"};

  /** Returns sentences chosen by the seed, the prompt and the policy counter. */
  static String text(long seed, String promptId, int policyCounter) {
    long h = Seeds.mix(Seeds.mix(seed, promptId), policyCounter);
    int sentences = (int) Math.floorMod(h, 4L);
    StringBuilder sb = new StringBuilder();
    for (int s = 0; s < sentences; s++) {
      long v = Seeds.mix(h, s);
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append("there is a ").append(COLOURS[(int) Math.floorMod(v, 4L)]).append(' ')
          .append(SHAPES[(int) Math.floorMod(v >>> 8, 4L)]).append('.');
    }
    return sb.toString();
  }

  /** A sampler whose texts depend only on the seed, the prompt and the policy's counter. */
  static final class Sampler implements ResponseSampler {
    final Checkpoint policy;
    final Failures failures;
    final List<Sampler> closed;

    Sampler(Checkpoint policy, Failures failures, List<Sampler> closed) {
      this.policy = policy;
      this.failures = failures;
      this.closed = closed;
    }

    @Override
    public List<Response> sample(Prompt prompt, SamplingParams params) {
      failures.tick("sampler");
      int c = counter(policy);
      List<Response> out = new ArrayList<>();
      for (int i = 0; i < params.n(); i++) {
        long seed = params.seedFor(i);
        out.add(new Response(prompt.id(), i, text(seed, prompt.id(), c), seed, 0));
      }
      return out;
    }

    @Override
    public void close() {
      closed.add(this);
    }
  }

  /** A scorer that splits sentences and rejects a sentence when a hash of it says so. */
  static final class Scorer implements ResponseScorer {
    final Failures failures;

    Scorer(Failures failures) {
      this.failures = failures;
    }

    @Override
    public List<ScoredResponse> scoreAll(Prompt prompt, List<Response> responses) {
      failures.tick("scorer");
      List<ScoredResponse> out = new ArrayList<>();
      for (Response r : responses) {
        List<ClaimVerdict> vs = new ArrayList<>();
        for (String s : r.text().split("\\.")) {
          if (s.isBlank()) {
            continue;
          }
          Claim claim = new Claim(s.strip() + ".");
          PolarQuestion q = new PolarQuestion(claim, "is it true that " + s.strip() + "?");
          boolean reject = Math.floorMod(Seeds.mix(0, prompt.id() + s), 3L) == 0;
          vs.add(new ClaimVerdict(q, reject ? 0.2 : 0.7, reject ? 0.7 : 0.2, false));
        }
        out.add(new ScoredResponse(r, vs));
      }
      return out;
    }
  }

  /** Pairs the best and the worst scored candidate of each prompt when their scores differ. */
  static final class BestWorstSelector implements PairSelector {
    @Override
    public List<PreferencePair> select(List<Candidates> groups) {
      List<PreferencePair> out = new ArrayList<>();
      for (Candidates g : groups) {
        List<ScoredResponse> scored = new ArrayList<>();
        for (ScoredResponse s : g.responses()) {
          if (s.scored()) {
            scored.add(s);
          }
        }
        if (scored.size() < 2) {
          continue;
        }
        scored.sort(Comparator.comparingInt(ScoredResponse::score).reversed()
            .thenComparingInt(s -> s.response().index()));
        ScoredResponse best = scored.get(0);
        ScoredResponse worst = scored.get(scored.size() - 1);
        if (best.score() > worst.score()) {
          out.add(new PreferencePair(g.prompt(), best, worst));
        }
      }
      return out;
    }
  }

  /** "Trains" by writing checkpoints whose counter is the policy's counter plus one. */
  static final class Trainer implements DpoTrainer {
    final Failures failures;
    final List<TrainingRequest> requests = Collections.synchronizedList(new ArrayList<>());
    final int checkpoints;

    Trainer(Failures failures, int checkpoints) {
      this.failures = failures;
      this.checkpoints = checkpoints;
    }

    @Override
    public TrainingResult train(TrainingRequest request) {
      failures.tick("trainer");
      requests.add(request);
      int next = counter(request.policy()) + 1;
      List<Checkpoint> out = new ArrayList<>();
      List<TrainingMetrics> history = new ArrayList<>();
      try {
        for (int j = 1; j <= checkpoints; j++) {
          Path d = Files.createDirectories(request.outputDirectory().resolve("checkpoint-" + j));
          Files.writeString(d.resolve("counter"), Integer.toString(next));
          Files.write(d.resolve("pairs.txt"), (request.pairs().size() + "\n")
              .getBytes(StandardCharsets.UTF_8));
          Checkpoint c = new Checkpoint("policy-" + next + "-c" + j, d);
          TrainingMetrics m = new TrainingMetrics(j, j / (double) checkpoints,
              java.util.Map.of("loss", 0.69 / j, "rewards/margins", 0.1 * j));
          history.add(m);
          request.listener().onStep(m, checkpoints);
          request.listener().onCheckpoint(c);
          out.add(c);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new TrainingResult(out, history);
    }
  }
}
