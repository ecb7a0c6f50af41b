package org.rlaifv.testkit.jqwik;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import org.rlaifv.Candidates;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.ScoredResponse;
import org.rlaifv.Seeds;

/**
 * jqwik arbitraries for the RLAIF-V values, for property tests of scorers, pair selectors, stores
 * and loops.
 *
 * <pre>{@code
 * @Property
 * void scoreIsMinusRejections(@ForAll("scored") ScoredResponse r) { ... }
 *
 * @Provide
 * Arbitrary<ScoredResponse> scored() {
 *   return RlaifvArbitraries.scoredResponses(2); // exactly two rejected claims
 * }
 * }</pre>
 *
 * <p>Claims and questions come in the ShapesWorld vocabulary ("there is a red circle on the top
 * left.") and as free text. Verdicts include the edge cases that matter for scoring: exact ties
 * (which reject), abstentions, and probabilities of 0 and 1.
 */
public final class RlaifvArbitraries {
  private RlaifvArbitraries() {}

  /** Abstention threshold used by the verdict arbitraries: mass below it abstains. */
  public static final double ABSTAIN_BELOW = 0.1;

  private static final List<String> COLOURS =
      List.of("red", "green", "blue", "yellow", "purple", "orange", "white", "black");
  private static final List<String> SHAPES =
      List.of("circle", "square", "triangle", "cross", "star", "diamond");
  private static final List<String> PLACES =
      List.of("top left", "top right", "bottom left", "bottom right", "centre");

  private static Arbitrary<String> words(int min, int max) {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)
        .list().ofMinSize(min).ofMaxSize(max).map(ws -> String.join(" ", ws));
  }

  private static Arbitrary<String> shapeFacts() {
    return Combinators.combine(
            Arbitraries.of(COLOURS), Arbitraries.of(SHAPES),
            Arbitraries.of(PLACES).optional())
        .as((c, s, p) -> c + " " + s + p.map(x -> " on the " + x).orElse(""));
  }

  /**
   * Returns claims: ShapesWorld facts ("there is a red circle on the top left.") and free-text
   * sentences.
   *
   * @return the arbitrary
   */
  public static Arbitrary<Claim> claims() {
    return Arbitraries.oneOf(
        shapeFacts().map(f -> new Claim("there is a " + f + ".")),
        words(1, 12).map(w -> new Claim(w + ".")));
  }

  /**
   * Returns polar questions, each with the claim it checks: "is there a red circle?" for "there is
   * a red circle.", and "is it true that ...?" for free-text claims.
   *
   * @return the arbitrary
   */
  public static Arbitrary<PolarQuestion> polarQuestions() {
    return claims().map(RlaifvArbitraries::questionFor);
  }

  private static PolarQuestion questionFor(Claim c) {
    String t = c.text().substring(0, c.text().length() - 1);
    String q = t.startsWith("there is ") ? "is there " + t.substring(9) + "?" : "is it true that " + t + "?";
    return new PolarQuestion(c, q);
  }

  /**
   * Returns verdicts of every kind: accepting, rejecting, exact ties, abstentions and extreme
   * probabilities. A verdict abstains when its mass is below {@link #ABSTAIN_BELOW}.
   *
   * @return the arbitrary
   */
  public static Arbitrary<ClaimVerdict> verdicts() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, acceptingVerdicts()),
        Tuple.of(4, rejectingVerdicts()),
        Tuple.of(1, tiedVerdicts()),
        Tuple.of(1, abstainedVerdicts()));
  }

  /**
   * Returns non-abstained verdicts with {@code pYes > pNo}: they accept the claim.
   *
   * @return the arbitrary
   */
  public static Arbitrary<ClaimVerdict> acceptingVerdicts() {
    return Combinators.combine(polarQuestions(), massAndShare(true))
        .as((q, ms) -> new ClaimVerdict(q, ms[0], ms[1], false));
  }

  /**
   * Returns non-abstained verdicts with {@code pNo >= pYes}, exact ties included: they reject.
   *
   * @return the arbitrary
   */
  public static Arbitrary<ClaimVerdict> rejectingVerdicts() {
    return Arbitraries.oneOf(
        Combinators.combine(polarQuestions(), massAndShare(false))
            .as((q, ms) -> new ClaimVerdict(q, ms[0], ms[1], false)),
        tiedVerdicts());
  }

  /**
   * Returns non-abstained verdicts with {@code pYes == pNo} (a tie rejects).
   *
   * @return the arbitrary
   */
  public static Arbitrary<ClaimVerdict> tiedVerdicts() {
    return Combinators.combine(
            polarQuestions(),
            Arbitraries.oneOf(Arbitraries.doubles().between(ABSTAIN_BELOW / 2, 0.5).ofScale(6), Arbitraries.of(0.5)))
        .as((q, p) -> new ClaimVerdict(q, p, p, false));
  }

  /**
   * Returns abstained verdicts: yes/no mass below {@link #ABSTAIN_BELOW}, either way round.
   *
   * @return the arbitrary
   */
  public static Arbitrary<ClaimVerdict> abstainedVerdicts() {
    // Each at most 0.04 (0.4 of the threshold), so the mass stays strictly under it after rounding.
    Arbitrary<Double> small = Arbitraries.doubles().between(0, 0.04).ofScale(6);
    return Combinators.combine(polarQuestions(), small, small)
        .as((q, y, n) -> new ClaimVerdict(q, y, n, true));
  }

  /** {pYes, pNo} with mass in [ABSTAIN_BELOW, 1], strictly favouring yes or (weakly) no. */
  private static Arbitrary<double[]> massAndShare(boolean yes) {
    Arbitrary<Double> mass = Arbitraries.oneOf(
        Arbitraries.doubles().between(ABSTAIN_BELOW, 1).ofScale(6), Arbitraries.of(1.0));
    Arbitrary<Double> share = Arbitraries.oneOf(
        Arbitraries.doubles().between(0.5, 1).ofScale(6).filter(s -> s > 0.5), Arbitraries.of(1.0));
    return Combinators.combine(mass, share).as((m, s) -> {
      double major = m * s;
      double minor = Math.min(m - major, major);
      if (yes && !(major > minor)) {
        major = Math.min(1.0, minor + 1e-3);
      }
      return yes ? new double[] {major, minor} : new double[] {minor, major};
    });
  }

  /**
   * Returns small random RGB images (1 to 8 pixels a side).
   *
   * @return the arbitrary
   */
  public static Arbitrary<Image> images() {
    return Combinators.combine(Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 8))
        .flatAs((w, h) -> Arbitraries.bytes().array(byte[].class).ofSize(w * h * 3)
            .map(px -> new Image(w, h, px)));
  }

  /**
   * Returns prompts with a small random image, an id like {@code p-3f2a} and a short instruction.
   *
   * @return the arbitrary
   */
  public static Arbitrary<Prompt> prompts() {
    return Combinators.combine(
            Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(10),
            images(),
            Arbitraries.oneOf(
                Arbitraries.of("describe the image.", "what is in the picture?",
                    "list the objects you see."),
                words(1, 10).map(w -> w + "?")))
        .as((id, img, text) -> new Prompt("p-" + id, img, text));
  }

  /**
   * Returns responses to a given prompt id, with any index, text, seed and token count.
   *
   * @param promptId the prompt id
   * @return the arbitrary
   */
  public static Arbitrary<Response> responses(String promptId) {
    return Combinators.combine(
            Arbitraries.integers().between(0, 15),
            responseTexts(),
            Arbitraries.longs(),
            Arbitraries.integers().between(0, 512))
        .as((i, text, seed, tokens) -> new Response(promptId, i, text, seed, tokens));
  }

  /**
   * Returns responses to random prompt ids.
   *
   * @return the arbitrary
   */
  public static Arbitrary<Response> responses() {
    return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(10)
        .flatMap(RlaifvArbitraries::responses);
  }

  private static Arbitrary<String> responseTexts() {
    return Arbitraries.oneOf(
        shapeFacts().map(f -> "there is a " + f + ".").list().ofMinSize(0).ofMaxSize(5)
            .map(l -> String.join(" ", l)),
        words(0, 30));
  }

  /**
   * Returns scored responses with random verdicts (possibly none, possibly all abstained, so
   * possibly unscored).
   *
   * @return the arbitrary
   */
  public static Arbitrary<ScoredResponse> scoredResponses() {
    return Combinators.combine(responses(), verdicts().list().ofMaxSize(8))
        .as(ScoredResponse::new);
  }

  /**
   * Returns scored responses with exactly {@code rejections} rejected claims (so score {@code
   * -rejections}), mixed in random order with up to 4 accepted and up to 2 abstained verdicts;
   * always {@linkplain ScoredResponse#scored() scored}.
   *
   * @param rejections the number of rejected claims, at least 0
   * @return the arbitrary
   * @throws InvalidInputException when {@code rejections} is negative
   */
  public static Arbitrary<ScoredResponse> scoredResponses(int rejections) {
    return responses().flatMap(r -> scoredResponses(r, rejections));
  }

  private static Arbitrary<ScoredResponse> scoredResponses(Response response, int rejections) {
    if (rejections < 0) {
      throw new InvalidInputException("rejections must be >= 0, got " + rejections);
    }
    int minAccepted = rejections == 0 ? 1 : 0;
    return Combinators.combine(
            rejectingVerdicts().list().ofSize(rejections),
            acceptingVerdicts().list().ofMinSize(minAccepted).ofMaxSize(4),
            abstainedVerdicts().list().ofMaxSize(2),
            Arbitraries.longs())
        .as((rej, acc, abs, shuffleSeed) -> {
          List<ClaimVerdict> all = new ArrayList<>(rej);
          all.addAll(acc);
          all.addAll(abs);
          Collections.shuffle(all, new Random(shuffleSeed));
          return new ScoredResponse(response, all);
        });
  }

  /**
   * Returns candidates for one prompt (with a small random image): 1 to 10 responses with indices
   * 0..n-1 and distinct seeds, each scored with 0 to 4 rejections.
   *
   * @return the arbitrary
   */
  public static Arbitrary<Candidates> candidates() {
    return candidates(1, 10);
  }

  /**
   * Returns candidates for one prompt with between {@code min} and {@code max} responses.
   *
   * @param min fewest responses, at least 0
   * @param max most responses, at least {@code min}
   * @return the arbitrary
   * @throws InvalidInputException when the bounds are invalid
   */
  public static Arbitrary<Candidates> candidates(int min, int max) {
    if (min < 0 || max < min) {
      throw new InvalidInputException("need 0 <= min <= max, got " + min + ", " + max);
    }
    return prompts().flatMap(prompt -> Arbitraries.integers().between(min, max).flatMap(n -> {
      List<Arbitrary<ScoredResponse>> parts = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int index = i;
        parts.add(Combinators.combine(responseTexts(), Arbitraries.integers().between(0, 4))
            .flatAs((text, rej) -> scoredResponses(
                new Response(prompt.id(), index, text, Seeds.mix(Seeds.mix(0L, prompt.id()), index), 0),
                rej)));
      }
      return Combinators.combine(parts).as(list -> new Candidates(prompt, list));
    }));
  }
}
