package org.rlaifv.core.text;

import java.util.List;

/**
 * A declarative clause cut where a polar question rearranges it: the subject, the word that
 * decides the question's form, and what follows. "the circle | touches | the square" is a {@link
 * Kind#VERB} clause; "a red circle on the left" is a lone {@link Kind#NOUN_PHRASE}, all subject.
 * Words keep their case and punctuation.
 *
 * @param kind what the pivot word is
 * @param subject the words before the pivot (every word of a noun phrase)
 * @param pivot the auxiliary, "have" or main verb as written; empty for a noun phrase
 * @param rest the words after the pivot
 * @param plural for a noun phrase, whether it is plural; false otherwise
 */
record Clause(Kind kind, List<String> subject, String pivot, List<String> rest, boolean plural) {

  /** What a clause turns on. */
  enum Kind {
    /** A form of "be", a modal or an auxiliary, which moves to the front. */
    AUXILIARY,
    /** "has", "have" or "had" as the main verb, which takes do-support. */
    HAVE,
    /** Another main verb, which takes do-support in its base form. */
    VERB,
    /** A noun phrase without a verb, which becomes an existence question. */
    NOUN_PHRASE
  }

  Clause {
    subject = List.copyOf(subject);
    rest = List.copyOf(rest);
  }
}
