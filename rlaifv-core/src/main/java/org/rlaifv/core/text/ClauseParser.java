package org.rlaifv.core.text;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds by rule, without a tagger, where a plain English clause turns: the auxiliary to invert,
 * "have" as a main verb, another main verb, or no verb at all in a lone noun phrase. Verbs are
 * recognised from {@link English}'s verb list and their endings ("-s", "-ed") when what follows
 * fits. Stateless.
 */
final class ClauseParser {
  private ClauseParser() {}

  /**
   * Parses one clause, without its final punctuation, words separated by single spaces.
   *
   * @param clause the clause
   * @return the clause's parts, or empty when no rule fits
   */
  static Optional<Clause> parse(String clause) {
    String[] w = clause.split(" ");
    if (w.length == 0) {
      return Optional.empty();
    }
    int aux = findAuxiliary(w);
    if (aux > 0) {
      return Optional.of(cut(Clause.Kind.AUXILIARY, w, aux));
    }
    int have = findMainHave(w);
    if (have > 0) {
      return Optional.of(cut(Clause.Kind.HAVE, w, have));
    }
    int verb = findMainVerb(w);
    if (verb > 0) {
      return Optional.of(cut(Clause.Kind.VERB, w, verb));
    }
    if (English.isDeterminer(w[0]) && w.length >= 2) {
      boolean plural = English.isPluralNounPhrase(nounPart(w));
      return Optional.of(new Clause(Clause.Kind.NOUN_PHRASE, List.of(w), "", List.of(), plural));
    }
    return Optional.empty();
  }

  private static Clause cut(Clause.Kind kind, String[] w, int pivot) {
    return new Clause(kind, List.of(Arrays.copyOfRange(w, 0, pivot)), w[pivot],
        List.of(Arrays.copyOfRange(w, pivot + 1, w.length)), false);
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
    English.VerbForm form = English.verbForm(b);
    boolean known = English.BASE_VERBS.contains(form.base());
    boolean inflected = form.inflection() != English.Inflection.BASE;
    if (known && (inflected || pluralSubject(w, i))) {
      return true;
    }
    if (strict || !inflected || b.length() < 4) {
      return false;
    }
    // Unknown word with a verb ending: a verb when an object, a place or the end follows, but
    // "-s" after a plural determiner or an adjective is a plural noun ("two red circles").
    boolean third = form.inflection() == English.Inflection.THIRD_PERSON;
    if (third && (English.ADJECTIVES.contains(prev)
        || English.PLURAL_DETERMINERS.contains(English.bare(w[0])))) {
      return false;
    }
    if (i + 1 == w.length) {
      return !third || !w[i - 1].endsWith(",");
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
}
