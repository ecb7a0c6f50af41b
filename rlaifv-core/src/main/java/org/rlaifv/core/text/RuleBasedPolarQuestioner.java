package org.rlaifv.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.rlaifv.Claim;
import org.rlaifv.PolarQuestion;
import org.rlaifv.PolarQuestioner;
import org.rlaifv.Provenance;

/**
 * Turns plain declarative English into yes/no questions by rule, keeping tense and negation and
 * adding no content.
 *
 * <p>The rules, tried in order on the claim without its final punctuation and with "there's",
 * "it's", "they're" and "I'm" expanded:
 *
 * <ol>
 *   <li>A claim that already ends with "?" is kept as it is.
 *   <li><b>Auxiliary inversion.</b> The first form of "be", modal or auxiliary after the subject
 *       moves to the front: "there is a red circle" becomes "is there a red circle?", "the circle
 *       is not red" becomes "is the circle not red?", "the square can move" becomes "can the
 *       square move?", "there is no circle" becomes "is there no circle?". "has/have/had" invert
 *       when they are auxiliaries ("has been", "has moved", "had not").
 *   <li><b>"have" as a main verb</b> takes do-support: "the square has a red border" becomes "does
 *       the square have a red border?"; "had" becomes "did ... have".
 *   <li><b>Other verbs</b> take do-support, keeping the tense: "the circle touches the square"
 *       becomes "does the circle touch the square?", "the circles touch" becomes "do the circles
 *       touch?", "the circle moved left" becomes "did the circle move left?". The verb is found
 *       from a list of common verbs and from its ending ("-s", "-ed") when a determiner, a
 *       preposition, an adverb or the end follows it.
 *   <li>A lone noun phrase ("a red circle on the left") becomes an existence question ("is there
 *       a red circle on the left?").
 *   <li>Otherwise, when the fallback is on (the default), "is it true that &lt;claim&gt;?"; when it
 *       is off, the claim is left out (and so not judged).
 * </ol>
 *
 * <p>A leading phrase set off by a comma stays in front ("In the image, is there a red circle?");
 * a leading prepositional phrase before a form of "be" is moved behind ("on the left is a red
 * circle" becomes "is there a red circle on the left?"). The question starts with a capital
 * letter only when the claim did. Stateless and thread-safe.
 *
 * <pre>{@code
 * new RuleBasedPolarQuestioner().question(new Claim("there is a red circle on the top left."));
 * // [PolarQuestion[..., question=is there a red circle on the top left?]]
 * }</pre>
 */
public final class RuleBasedPolarQuestioner implements PolarQuestioner {

  private static final Pattern IS_CONTRACTION =
      Pattern.compile("(?i)\\b(there|it|that|here|he|she|what|this)'s\\b");
  private static final Pattern ARE_CONTRACTION =
      Pattern.compile("(?i)\\b(they|we|you|there)'re\\b");
  private static final Pattern AM_CONTRACTION = Pattern.compile("(?i)\\bI'm\\b");

  private final boolean fallback;

  /** Creates a questioner whose fallback is "is it true that ...?". */
  public RuleBasedPolarQuestioner() {
    this(true);
  }

  /**
   * Creates a questioner.
   *
   * @param fallback whether claims no rule fits become "is it true that &lt;claim&gt;?" (true) or
   *     are left out (false)
   */
  public RuleBasedPolarQuestioner(boolean fallback) {
    this.fallback = fallback;
  }

  /**
   * Rewrites each claim as a polar question.
   *
   * @param claims the claims
   * @return one question per claim, in order (fewer when the fallback is off and a claim fits no
   *     rule)
   */
  @Override
  public List<PolarQuestion> questions(List<Claim> claims) {
    Objects.requireNonNull(claims, "claims");
    List<PolarQuestion> out = new ArrayList<>(claims.size());
    for (Claim c : claims) {
      toQuestion(c.text()).ifPresent(q -> out.add(new PolarQuestion(c, q)));
    }
    return out;
  }

  /**
   * Rewrites one declarative sentence as a polar question.
   *
   * @param sentence the sentence
   * @return the question, or empty when no rule fits and the fallback is off
   */
  public Optional<String> toQuestion(String sentence) {
    String s = expandContractions(English.squash(sentence.strip()));
    if (s.endsWith("?")) {
      return s.length() > 1 ? Optional.of(s) : Optional.empty();
    }
    while (!s.isEmpty() && ".!;:,".indexOf(s.charAt(s.length() - 1)) >= 0) {
      s = s.substring(0, s.length() - 1).strip();
    }
    if (s.isEmpty()) {
      return Optional.empty();
    }
    boolean capital = Character.isUpperCase(s.charAt(0));

    // A leading phrase set off by a comma ("In the image, ...") stays in front.
    String lead = "";
    String body = s;
    int comma = s.indexOf(", ");
    if (comma > 0 && isLeadingAdverbial(s.substring(0, comma))) {
      String rest = s.substring(comma + 2);
      if (!ruleQuestion(rest).isEmpty()) {
        lead = s.substring(0, comma + 2);
        body = rest;
      }
    }
    String q = ruleQuestion(body);
    if (q.isEmpty()) {
      if (!fallback) {
        return Optional.empty();
      }
      q = "is it true that " + decapitalizeFirst(s);
      lead = "";
    }
    String full = lead.isEmpty() ? q : lead + q;
    full = capital ? English.capitalize(full) : full;
    return Optional.of(full + "?");
  }

  /** "there's" -> "there is", "they're" -> "they are", so the be-verb can move. */
  private static String expandContractions(String s) {
    String t = s.replace('\u2019', '\'');
    if (t.indexOf('\'') < 0) {
      return t;
    }
    t = IS_CONTRACTION.matcher(t).replaceAll("$1 is");
    t = ARE_CONTRACTION.matcher(t).replaceAll("$1 are");
    return AM_CONTRACTION.matcher(t).replaceAll("I am");
  }

  /** Whether text before a comma is an adverbial opener ("In the image", "Overall", "Here"). */
  private static boolean isLeadingAdverbial(String lead) {
    String[] w = lead.strip().split(" ");
    for (String x : w) {
      String b = English.bare(x);
      if (English.AUXILIARIES.contains(b) || English.HAVE.contains(b)) {
        return false;
      }
    }
    String first = English.bare(w[0]);
    return English.isPreposition(w[0]) || (w.length == 1 && first.endsWith("ly"))
        || first.equals("here") || first.equals("also") || first.equals("additionally")
        || first.equals("finally") || first.equals("moreover") || first.equals("furthermore");
  }

  /** Applies rules 2-5 to a clause; returns "" when none fits. */
  private static String ruleQuestion(String s) {
    Optional<Clause> parsed = ClauseParser.parse(s);
    if (parsed.isEmpty()) {
      return "";
    }
    Clause c = parsed.get();
    return switch (c.kind()) {
      case AUXILIARY -> auxiliaryQuestion(c);
      case HAVE -> {
        String have = English.bare(c.pivot());
        yield doSupported(c, have.equals("had") ? "did" : have.equals("has") ? "does" : "do", "have");
      }
      case VERB -> {
        String v = English.bare(c.pivot());
        English.VerbForm form = English.verbForm(v);
        // Punctuation after the verb ("touches,") stays after its base form.
        String tail = c.pivot().substring(
            c.pivot().toLowerCase(java.util.Locale.ROOT).indexOf(v) + v.length());
        yield doSupported(c, form.inflection().doSupport(), form.base() + tail);
      }
      case NOUN_PHRASE -> join(c.plural() ? "are" : "is", "there", decapitalizeFirst(s));
    };
  }

  /** "do/does/did" + subject + the verb in its base form + the rest. */
  private static String doSupported(Clause c, String doWord, String baseVerb) {
    return join(doWord, decapitalizeFirst(join(c.subject())), baseVerb, join(c.rest()));
  }

  /** Moves the auxiliary to the front, or "there" with it, or a leading place behind. */
  private static String auxiliaryQuestion(Clause c) {
    List<String> subject = c.subject();
    List<String> rest = c.rest();
    String auxWord = English.lower(c.pivot());
    if (auxWord.equals("cannot")) {
      auxWord = "can";
      rest = new ArrayList<>(rest);
      rest.add(0, "not");
    }
    String restText = join(rest);
    if (subject.size() > 1 && English.bare(subject.get(subject.size() - 1)).equals("there")) {
      // "on the left there is a circle" -> "is there a circle on the left".
      String place = decapitalizeFirst(join(subject.subList(0, subject.size() - 1)));
      return join(auxWord, "there", restText,
          place.endsWith(",") ? place.substring(0, place.length() - 1) : place);
    }
    if (English.isPreposition(subject.get(0)) && English.isBe(auxWord) && !rest.isEmpty()
        && !English.bare(rest.get(0)).equals("there")) {
      // Locative inversion: "on the left is a red circle" -> "is there a red circle on the left".
      return join(auxWord, "there", restText, decapitalizeFirst(join(subject)));
    }
    return join(auxWord, decapitalizeFirst(join(subject)), restText);
  }

  private static String decapitalizeFirst(String s) {
    if (s.isEmpty()) {
      return s;
    }
    int sp = s.indexOf(' ');
    String first = sp < 0 ? s : s.substring(0, sp);
    String rest = sp < 0 ? "" : s.substring(sp);
    return English.decapitalizeOpener(first) + rest;
  }

  private static String join(List<String> words) {
    return join(words.toArray(String[]::new));
  }

  private static String join(String... parts) {
    StringBuilder sb = new StringBuilder();
    for (String p : parts) {
      if (p.isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(p);
    }
    return sb.toString();
  }

  /**
   * Describes the questioner: whether it falls back to a generic question.
   *
   * @return the provenance
   */
  @Override
  public Provenance provenance() {
    return Provenance.of(this).with("fallback", fallback);
  }
}
