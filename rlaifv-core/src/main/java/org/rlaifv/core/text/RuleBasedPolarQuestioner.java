package org.rlaifv.core.text;

import java.util.ArrayList;
import java.util.Arrays;
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

  /** Applies rules 2-5; returns "" when none fits. */
  private static String ruleQuestion(String s) {
    String[] w = s.split(" ");
    if (w.length == 0) {
      return "";
    }
    int aux = findAuxiliary(w);
    if (aux > 0) {
      String[] subject = Arrays.copyOfRange(w, 0, aux);
      String[] rest = Arrays.copyOfRange(w, aux + 1, w.length);
      String auxWord = English.lower(w[aux]);
      if (auxWord.equals("cannot")) {
        auxWord = "can";
        rest = prepend("not", rest);
      }
      if (subject.length > 1 && English.bare(subject[subject.length - 1]).equals("there")) {
        // "on the left there is a circle" -> "is there a circle on the left".
        String place = decapitalizeFirst(join(Arrays.copyOf(subject, subject.length - 1)));
        return join(auxWord, "there", join(rest), (place.endsWith(",") ? place.substring(0, place.length() - 1) : place));
      }
      if (English.isPreposition(subject[0]) && isBe(auxWord) && rest.length > 0
          && !English.bare(rest[0]).equals("there")) {
        // Locative inversion: "on the left is a red circle" -> "is there a red circle on the left".
        return join(auxWord, "there", join(rest), decapitalizeFirst(join(subject)));
      }
      return join(auxWord, decapitalizeFirst(join(subject)), join(rest));
    }
    int have = findMainHave(w);
    if (have > 0) {
      String doWord = English.bare(w[have]).equals("had") ? "did"
          : English.bare(w[have]).equals("has") ? "does" : "do";
      return join(doWord, decapitalizeFirst(join(Arrays.copyOfRange(w, 0, have))), "have",
          join(Arrays.copyOfRange(w, have + 1, w.length)));
    }
    int verb = findMainVerb(w);
    if (verb > 0) {
      String v = English.bare(w[verb]);
      String[] forms = baseForm(v);
      String base = forms[0];
      String doWord = forms[1].equals("past") ? "did"
          : forms[1].equals("third") ? "does" : "do";
      String tail = w[verb].substring(w[verb].toLowerCase(java.util.Locale.ROOT).indexOf(v)
          + v.length());
      return join(doWord, decapitalizeFirst(join(Arrays.copyOfRange(w, 0, verb))), base + tail,
          join(Arrays.copyOfRange(w, verb + 1, w.length)));
    }
    if (English.isDeterminer(w[0]) && w.length >= 2) {
      boolean plural = English.isPluralNounPhrase(nounPart(w));
      return join(plural ? "are" : "is", "there", decapitalizeFirst(s));
    }
    return "";
  }

  private static String[] prepend(String first, String[] rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  private static boolean isBe(String word) {
    return switch (English.bare(word)) {
      case "is", "are", "was", "were", "am", "isn't", "aren't", "wasn't", "weren't" -> true;
      default -> false;
    };
  }

  /** The words of a noun phrase before its first preposition. */
  private static String[] nounPart(String[] w) {
    for (int i = 1; i < w.length; i++) {
      if (English.isPreposition(w[i])) {
        return Arrays.copyOfRange(w, 0, i);
      }
    }
    return w;
  }

  /**
   * Index of the auxiliary to invert, or -1. Skips auxiliaries inside a relative clause of the
   * subject ("the circle that is red is ...").
   */
  private static int findAuxiliary(String[] w) {
    boolean relative = false;
    for (int i = 1; i < w.length; i++) {
      String b = English.bare(w[i]);
      if (b.equals("that") || b.equals("which") || b.equals("who")) {
        relative = true;
        continue;
      }
      boolean isAux = English.AUXILIARIES.contains(b)
          || (English.HAVE.contains(b) && isPerfectAuxiliary(w, i));
      if (isAux) {
        if (relative) {
          relative = false;
          continue;
        }
        return i;
      }
      if (English.HAVE.contains(b) || isVerbAt(w, i, true)) {
        return -1;
      }
    }
    return -1;
  }

  private static boolean isPerfectAuxiliary(String[] w, int i) {
    if (i + 1 >= w.length) {
      return false;
    }
    String next = English.bare(w[i + 1]);
    return English.AFTER_PERFECT_AUX.contains(next)
        || English.IRREGULAR_PARTICIPLES.contains(next)
        || (next.endsWith("ed") && next.length() > 4 && !English.NOT_VERBS.contains(next));
  }

  private static int findMainHave(String[] w) {
    for (int i = 1; i < w.length; i++) {
      String b = English.bare(w[i]);
      if (English.HAVE.contains(b)) {
        return i;
      }
      if (English.AUXILIARIES.contains(b) || isVerbAt(w, i, true)) {
        return -1;
      }
    }
    return -1;
  }

  private static int findMainVerb(String[] w) {
    for (int i = 1; i < w.length; i++) {
      if (isVerbAt(w, i, false)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Whether word i is a finite main verb, judged from a verb list and (unless strict) from its
   * ending and what follows it.
   */
  private static boolean isVerbAt(String[] w, int i, boolean strict) {
    String b = English.bare(w[i]);
    String prev = English.bare(w[i - 1]);
    if (b.isEmpty() || English.DETERMINERS.contains(prev) || English.NOT_VERBS.contains(b)
        || English.DETERMINERS.contains(b) || English.isPreposition(w[i])) {
      return false;
    }
    if (English.IRREGULAR_PAST.containsKey(b)) {
      return true;
    }
    String[] forms = baseForm(b);
    boolean known = English.BASE_VERBS.contains(forms[0]);
    boolean inflected = !forms[1].equals("base");
    if (known && (inflected || pluralSubject(w, i))) {
      return true;
    }
    if (strict || !inflected || b.length() < 4) {
      return false;
    }
    // Unknown word with a verb ending: a verb when an object, a place or the end follows, but
    // "-s" after a plural determiner or an adjective is a plural noun ("two red circles").
    if (forms[1].equals("third") && (English.ADJECTIVES.contains(prev)
        || English.PLURAL_DETERMINERS.contains(English.bare(w[0])))) {
      return false;
    }
    if (i + 1 == w.length) {
      return !forms[1].equals("third") || !w[i - 1].endsWith(",");
    }
    String next = English.bare(w[i + 1]);
    return English.DETERMINERS.contains(next) || English.PREPOSITIONS.contains(next)
        || next.endsWith("ly");
  }

  private static boolean pluralSubject(String[] w, int verb) {
    String[] subject = Arrays.copyOfRange(w, 0, verb);
    String first = English.bare(subject[0]);
    if (first.equals("they") || first.equals("we") || first.equals("you") || first.equals("i")) {
      return subject.length == 1;
    }
    return English.isDeterminer(subject[0]) && English.isPluralNounPhrase(nounPart(subject));
  }

  /**
   * Returns {base form, kind} where kind is "past", "third" (third person singular present) or
   * "base".
   */
  static String[] baseForm(String v) {
    String irregular = English.IRREGULAR_PAST.get(v);
    if (irregular != null) {
      return new String[] {irregular, "past"};
    }
    if (v.equals("has")) {
      return new String[] {"have", "third"};
    }
    if (v.equals("does")) {
      return new String[] {"do", "third"};
    }
    if (v.length() > 3 && v.endsWith("ed")) {
      return new String[] {pastStem(v), "past"};
    }
    if (v.length() > 2 && v.endsWith("s") && !v.endsWith("ss")) {
      if (v.endsWith("ies") && v.length() > 4) {
        return new String[] {v.substring(0, v.length() - 3) + "y", "third"};
      }
      String minusEs = v.substring(0, v.length() - 2);
      if (v.endsWith("es") && (minusEs.endsWith("ch") || minusEs.endsWith("sh")
          || minusEs.endsWith("ss") || minusEs.endsWith("x") || minusEs.endsWith("z")
          || minusEs.endsWith("o"))) {
        return new String[] {minusEs, "third"};
      }
      return new String[] {v.substring(0, v.length() - 1), "third"};
    }
    return new String[] {v, "base"};
  }

  private static String pastStem(String v) {
    String minusEd = v.substring(0, v.length() - 2);
    String minusD = v.substring(0, v.length() - 1);
    if (English.BASE_VERBS.contains(minusD)) {
      return minusD;
    }
    if (English.BASE_VERBS.contains(minusEd)) {
      return minusEd;
    }
    if (v.endsWith("ied") && v.length() > 4) {
      return v.substring(0, v.length() - 3) + "y";
    }
    int n = minusEd.length();
    if (n >= 3 && minusEd.charAt(n - 1) == minusEd.charAt(n - 2)
        && "bdgmnprt".indexOf(minusEd.charAt(n - 1)) >= 0) {
      return minusEd.substring(0, n - 1);
    }
    // Silent e: "placed" -> "place", "moved" -> "move", "created" -> "create".
    if (n >= 2 && "cvzgu".indexOf(minusEd.charAt(n - 1)) >= 0) {
      return minusD;
    }
    if (minusEd.endsWith("at") || minusEd.endsWith("iz") || minusEd.endsWith("ur")) {
      return minusD;
    }
    return minusEd;
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
