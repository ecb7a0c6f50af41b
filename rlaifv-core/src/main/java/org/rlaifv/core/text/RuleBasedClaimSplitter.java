package org.rlaifv.core.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rlaifv.Claim;
import org.rlaifv.ClaimSplitter;

/**
 * A claim splitter for plain descriptive English that needs no model: one claim per declarative
 * sentence, with simple coordinations divided.
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>The text is cut into sentences at line breaks, at {@code ;} and at {@code . ! ?} followed
 *       by white space or the end (abbreviations such as "e.g." and "Mr." do not end a sentence).
 *       List markers ({@code -}, {@code *}, {@code •}, {@code 1.}, {@code 2)}) are removed.
 *   <li>Questions, lines ending in a colon, one-word fragments and subjective sentences are left
 *       out. A sentence is subjective when it contains an opinion marker ("I think", "I believe",
 *       "in my opinion", "it seems", "it looks like", "perhaps", ...) or an evaluative adjective
 *       ("beautiful", "lovely", "amazing", "nice", ...).
 *   <li>Coordinated clauses are divided at "and"/"but"/"while" when the right side is a clause of
 *       its own ("there is a circle and there is a square", "the circle is red, and the square is
 *       blue").
 *   <li>Coordinated noun phrases that share a frame are divided when every conjunct starts with a
 *       determiner: "there is a red circle and a blue square on the left." gives "there is a red
 *       circle on the left." and "there is a blue square on the left.". The frames are "there
 *       is/are/was/were", "the image shows/contains/has/depicts...", "I/we (can) see" and a
 *       coordinated subject before a form of "be" or "have" ("a circle and a square are red").
 *       A trailing prepositional phrase of the last conjunct is shared by conjuncts that have
 *       none of their own; "is"/"are" and "has"/"have" are made to agree with each conjunct;
 *       negation ("no") stays with its conjunct.
 * </ol>
 *
 * <p>Every claim ends with a full stop. Case is kept, and every claim split from a sentence that
 * starts with a capital letter starts with one too. Stateless and thread-safe.
 *
 * <pre>{@code
 * List<Claim> claims = new RuleBasedClaimSplitter().split("There is a red circle and a blue square.");
 * // [There is a red circle., There is a blue square.]
 * }</pre>
 */
public final class RuleBasedClaimSplitter implements ClaimSplitter {

  private static final Set<String> ABBREVIATIONS =
      Set.of("mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "approx", "fig");

  private static final List<String> OPINION_MARKERS = List.of(
      "i think", "i believe", "i feel", "i guess", "i suppose", "i would say", "in my opinion",
      "in my view", "to me", "i like", "i love", "i hope", "it seems", "seems to", "seem to",
      "it looks like", "it appears that", "perhaps", "maybe", "arguably", "i'm not sure",
      "i am not sure", "overall,", "in conclusion");

  private static final Set<String> EVALUATIVE = Set.of(
      "beautiful", "beautifully", "lovely", "nice", "pretty", "ugly", "amazing", "stunning",
      "wonderful", "gorgeous", "delightful", "pleasant", "boring", "interesting", "charming",
      "cute", "awesome", "fantastic", "impressive", "elegant", "attractive", "breathtaking",
      "picturesque", "magnificent", "serene", "peaceful", "cozy", "appealing", "pleasing",
      "aesthetically", "captivating", "vibrant", "lively", "tranquil", "striking", "cheerful",
      "whimsical", "harmonious", "inviting", "delicious", "adorable");

  private static final Pattern LIST_MARKER =
      Pattern.compile("^\\s*(?:[-*\u2022+\u00b7]+|\\(?\\d{1,3}[.)]|\\(?[a-z][)])\\s+");

  private static final Pattern EXISTENTIAL = Pattern.compile(
      "^((?:[^,]+,\\s*)?)"
          + "((?:there|There)\\s+(is|are|was|were)(?:\\s+also)?"
          + "|(?:(?:the|The|this|This)\\s+)?(?:image|picture|photo|scene|canvas|drawing)\\s+"
          + "(?:shows|contains|has|depicts|features|includes|showed|contained|had)"
          + "|(?:I|We|we)\\s+(?:can\\s+)?see)"
          + "\\s+(.+)$");

  private static final Pattern CLAUSE_JOIN =
      Pattern.compile(",?\\s+(?:and|but|while|whereas)\\s+|,\\s+");

  private static final Pattern CLAUSE_START = Pattern.compile(
      "^(?:there\\s+(?:is|are|was|were)\\b"
          + "|(?:it|they|he|she)\\s+(?:is|are|was|were|has|have|had|can|will)\\b)",
      Pattern.CASE_INSENSITIVE);

  private static final Pattern NON_WORD = Pattern.compile("[^a-z']+");

  private static final Pattern CONJUNCTS = Pattern.compile(",\\s*(?:and\\s+)?|\\s+and\\s+");

  /** Creates the splitter. */
  public RuleBasedClaimSplitter() {}

  /**
   * Splits a response into claims.
   *
   * @param responseText the response
   * @return the claims, in order; empty when the text holds no factual sentence
   */
  @Override
  public List<Claim> split(String responseText) {
    List<Claim> out = new ArrayList<>();
    for (String sentence : sentences(responseText)) {
      String s = sentence.strip();
      if (s.isEmpty() || s.endsWith("?") || s.endsWith(":") || isSubjective(s)) {
        continue;
      }
      s = stripTerminator(s);
      if (s.isEmpty()) {
        continue;
      }
      boolean capital = Character.isUpperCase(s.charAt(0));
      for (String clause : splitClauses(s)) {
        for (String claim : splitNounPhrases(clause)) {
          String c = claim.strip();
          if (English.words(c).length < 2) {
            continue;
          }
          out.add(new Claim((capital ? English.capitalize(c) : c) + "."));
        }
      }
    }
    return out;
  }

  /**
   * Cuts text into sentences, keeping each sentence's terminator.
   *
   * @param text any text
   * @return the sentences, stripped, none empty
   */
  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    for (String line : text.replace('\r', '\n').split("\n")) {
      String l = LIST_MARKER.matcher(line).replaceFirst("").strip();
      if (l.isEmpty()) {
        continue;
      }
      int start = 0;
      for (int i = 0; i < l.length(); i++) {
        char ch = l.charAt(i);
        boolean boundary = false;
        if (ch == ';') {
          boundary = true;
        } else if ((ch == '.' || ch == '!' || ch == '?')
            && (i + 1 == l.length() || Character.isWhitespace(l.charAt(i + 1)))) {
          boundary = ch != '.' || !isAbbreviation(l, start, i);
        }
        if (boundary) {
          add(out, l.substring(start, ch == ';' ? i : i + 1));
          start = i + 1;
        }
      }
      add(out, l.substring(start));
    }
    return out;
  }

  private static void add(List<String> out, String s) {
    String t = s.strip();
    if (!t.isEmpty() && t.chars().anyMatch(Character::isLetterOrDigit)) {
      out.add(t);
    }
  }

  private static boolean isAbbreviation(String line, int start, int dot) {
    int b = dot;
    while (b > start && !Character.isWhitespace(line.charAt(b - 1))) {
      b--;
    }
    return ABBREVIATIONS.contains(English.lower(line.substring(b, dot)));
  }

  static boolean isSubjective(String sentence) {
    String l = " " + English.squash(English.lower(sentence).replace('\u2019', '\'')) + " ";
    for (String m : OPINION_MARKERS) {
      if (l.contains(" " + m + " ") || l.contains(" " + m + ",")) {
        return true;
      }
    }
    for (String w : NON_WORD.split(l)) {
      if (EVALUATIVE.contains(w)) {
        return true;
      }
    }
    return false;
  }

  private static String stripTerminator(String s) {
    int e = s.length();
    while (e > 0 && ".!;".indexOf(s.charAt(e - 1)) >= 0) {
      e--;
    }
    return s.substring(0, e).strip();
  }

  /** Divides "X and there is Y" style coordinations of full clauses. */
  static List<String> splitClauses(String s) {
    List<String> out = new ArrayList<>();
    Matcher m = CLAUSE_JOIN.matcher(s);
    int start = 0;
    while (m.find()) {
      String right = s.substring(m.end());
      String left = s.substring(start, m.start());
      if (isClause(left) && isClause(right) && startsClause(right)) {
        out.add(left);
        start = m.end();
      }
    }
    out.add(s.substring(start));
    return out;
  }

  private static boolean startsClause(String right) {
    if (CLAUSE_START.matcher(right).find()) {
      return true;
    }
    // A determiner noun phrase of up to five words followed by a form of be/have or a modal.
    String[] w = English.words(right.strip());
    if (w.length < 3 || !English.isDeterminer(w[0])) {
      return false;
    }
    for (int i = 1; i < Math.min(w.length, 7); i++) {
      String b = English.bare(w[i]);
      if (English.AUXILIARIES.contains(b) || English.HAVE.contains(b)) {
        return true;
      }
      if (b.equals("and") || English.isPreposition(w[i])) {
        return false;
      }
    }
    return false;
  }

  private static boolean isClause(String s) {
    for (String w : English.words(s.strip())) {
      String b = English.bare(w);
      if (English.AUXILIARIES.contains(b) || English.HAVE.contains(b)
          || English.IRREGULAR_PAST.containsKey(b) || (b.endsWith("s") && isKnownVerbS(b))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isKnownVerbS(String b) {
    if (English.NOT_VERBS.contains(b)) {
      return false;
    }
    String stem = b.endsWith("es") ? b.substring(0, b.length() - 2) : b.substring(0, b.length() - 1);
    return English.BASE_VERBS.contains(stem)
        || English.BASE_VERBS.contains(b.substring(0, b.length() - 1));
  }

  /** Divides coordinated noun phrases inside a shared frame. */
  static List<String> splitNounPhrases(String clause) {
    Matcher m = EXISTENTIAL.matcher(clause);
    if (m.matches()) {
      String prefix = m.group(1);
      String frame = m.group(2);
      String be = m.group(3);
      List<String> parts = conjuncts(m.group(4));
      if (parts.size() >= 2) {
        List<String> out = new ArrayList<>();
        for (String np : withSharedTrailer(parts)) {
          String f = frame;
          if (be != null) {
            f = agree(frame, be, np);
          }
          out.add(prefix + f + " " + np);
        }
        return out;
      }
      return List.of(clause);
    }
    return splitSubject(clause);
  }

  /** "a circle and a square are red" -> "a circle is red", "a square is red". */
  private static List<String> splitSubject(String clause) {
    String[] w = English.words(clause.strip());
    int verb = -1;
    for (int i = 1; i < w.length; i++) {
      String b = English.bare(w[i]);
      if (b.equals("are") || b.equals("were") || b.equals("have") || b.equals("is")
          || b.equals("was") || b.equals("has")) {
        verb = i;
        break;
      }
      if (English.AUXILIARIES.contains(b)) {
        break;
      }
    }
    if (verb < 3) {
      return List.of(clause);
    }
    String subject = String.join(" ", Arrays.copyOfRange(w, 0, verb));
    List<String> parts = conjuncts(subject);
    if (parts.size() < 2) {
      return List.of(clause);
    }
    String rest = String.join(" ", Arrays.copyOfRange(w, verb + 1, w.length));
    String v = English.bare(w[verb]);
    List<String> out = new ArrayList<>();
    for (String np : parts) {
      boolean plural = English.isPluralNounPhrase(English.words(np));
      String form = switch (v) {
        case "are", "is" -> plural ? "are" : "is";
        case "were", "was" -> plural ? "were" : "was";
        default -> plural ? "have" : "has";
      };
      out.add(np + " " + form + (rest.isEmpty() ? "" : " " + rest));
    }
    return out;
  }

  /** Splits "a X, a Y and a Z ..." into conjuncts when each starts with a determiner. */
  private static List<String> conjuncts(String s) {
    String[] parts = CONJUNCTS.split(s.strip());
    if (parts.length < 2) {
      return List.of(s);
    }
    List<String> out = new ArrayList<>();
    for (String p : parts) {
      String t = p.strip();
      if (t.isEmpty() || !English.isDeterminer(English.words(t)[0])) {
        return List.of(s);
      }
      out.add(t);
    }
    return out;
  }

  /** Gives the last conjunct's prepositional phrase to conjuncts without one of their own. */
  private static List<String> withSharedTrailer(List<String> parts) {
    String last = parts.get(parts.size() - 1);
    int pp = prepositionIndex(English.words(last));
    if (pp < 0) {
      return parts;
    }
    String[] lw = English.words(last);
    String trailer = String.join(" ", Arrays.copyOfRange(lw, pp, lw.length));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < parts.size() - 1; i++) {
      String p = parts.get(i);
      out.add(prepositionIndex(English.words(p)) < 0 ? p + " " + trailer : p);
    }
    out.add(last);
    return out;
  }

  private static int prepositionIndex(String[] words) {
    for (int i = 1; i < words.length; i++) {
      if (English.isPreposition(words[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Makes "there is/are/was/were" agree with one conjunct. */
  private static String agree(String frame, String be, String np) {
    String[] w = English.words(np);
    int pp = prepositionIndex(w);
    boolean plural = English.isPluralNounPhrase(pp < 0 ? w : Arrays.copyOfRange(w, 0, pp));
    boolean past = English.lower(be).startsWith("w");
    String form = past ? (plural ? "were" : "was") : (plural ? "are" : "is");
    int at = frame.indexOf(be, frame.indexOf(' '));
    return frame.substring(0, at) + form + frame.substring(at + be.length());
  }
}
