package org.rlaifv.core.text;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Small word lists, verb morphology and helpers for the rule-based splitter and questioner (plain
 * English).
 */
final class English {
  private English() {}

  /** Words that open a noun phrase. */
  static final Set<String> DETERMINERS = Set.of(
      "a", "an", "the", "this", "that", "these", "those", "one", "two", "three", "four", "five",
      "six", "seven", "eight", "nine", "ten", "some", "several", "many", "few", "another", "each",
      "every", "no", "both", "multiple", "various", "its", "their", "his", "her", "my", "our",
      "your", "all", "any");

  /** Determiners that make a noun phrase singular. */
  static final Set<String> SINGULAR_DETERMINERS =
      Set.of("a", "an", "one", "another", "each", "every", "this", "that");

  /** Determiners that make a noun phrase plural. */
  static final Set<String> PLURAL_DETERMINERS = Set.of(
      "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several", "many",
      "few", "these", "those", "both", "multiple", "various");

  /** Prepositions that start a locative or relational phrase. */
  static final Set<String> PREPOSITIONS = Set.of(
      "on", "in", "at", "near", "next", "above", "below", "under", "underneath", "beneath",
      "beside", "besides", "behind", "between", "to", "inside", "outside", "along", "across",
      "around", "over", "against", "within", "among", "toward", "towards", "from", "by", "into",
      "onto", "upon", "atop");

  /** Forms of "be" and the auxiliaries and modals that invert in a polar question. */
  static final Set<String> AUXILIARIES = Set.of(
      "is", "are", "was", "were", "am", "can", "could", "will", "would", "shall", "should", "may",
      "might", "must", "does", "do", "did", "isn't", "aren't", "wasn't", "weren't", "can't",
      "cannot", "couldn't", "won't", "wouldn't", "shouldn't", "mustn't", "doesn't", "don't",
      "didn't", "hasn't", "haven't", "hadn't");

  /** Forms of "have". */
  static final Set<String> HAVE = Set.of("has", "have", "had");

  /** Words after "has/have/had" that make it an auxiliary (perfect tense or negation). */
  static final Set<String> AFTER_PERFECT_AUX = Set.of(
      "been", "not", "never", "already", "just", "got", "always", "also", "ever", "recently");

  /** Irregular past participles (for detecting perfect "has moved", "has grown"). */
  static final Set<String> IRREGULAR_PARTICIPLES = Set.of(
      "been", "gone", "done", "seen", "taken", "given", "made", "grown", "drawn", "shown", "known",
      "become", "come", "begun", "fallen", "risen", "written", "broken", "chosen", "eaten",
      "found", "held", "left", "put", "set", "sat", "stood", "kept", "lost", "hidden", "worn");

  /** Irregular past-tense forms to their base form. */
  static final Map<String, String> IRREGULAR_PAST = Map.ofEntries(
      Map.entry("sat", "sit"), Map.entry("stood", "stand"), Map.entry("lay", "lie"),
      Map.entry("held", "hold"), Map.entry("saw", "see"), Map.entry("went", "go"),
      Map.entry("came", "come"), Map.entry("made", "make"), Map.entry("took", "take"),
      Map.entry("gave", "give"), Map.entry("found", "find"), Map.entry("got", "get"),
      Map.entry("ran", "run"), Map.entry("wore", "wear"), Map.entry("drew", "draw"),
      Map.entry("grew", "grow"), Map.entry("fell", "fall"), Map.entry("hung", "hang"),
      Map.entry("met", "meet"), Map.entry("led", "lead"), Map.entry("kept", "keep"),
      Map.entry("brought", "bring"), Map.entry("told", "tell"), Map.entry("said", "say"),
      Map.entry("felt", "feel"), Map.entry("became", "become"), Map.entry("began", "begin"),
      Map.entry("built", "build"), Map.entry("caught", "catch"), Map.entry("ate", "eat"),
      Map.entry("flew", "fly"), Map.entry("rose", "rise"), Map.entry("shone", "shine"),
      Map.entry("spun", "spin"), Map.entry("swam", "swim"), Map.entry("threw", "throw"),
      Map.entry("wrote", "write"), Map.entry("rode", "ride"), Map.entry("drove", "drive"),
      Map.entry("chose", "choose"), Map.entry("broke", "break"), Map.entry("hid", "hide"),
      Map.entry("showed", "show"), Map.entry("struck", "strike"), Map.entry("stuck", "stick"),
      Map.entry("covered", "cover"), Map.entry("bore", "bear"), Map.entry("knew", "know"));

  /** Common verbs in base form, to tell verbs from nouns without a tagger. */
  static final Set<String> BASE_VERBS = Set.of(
      "sit", "stand", "lie", "hold", "see", "go", "come", "make", "take", "give", "find", "get",
      "run", "wear", "draw", "grow", "fall", "hang", "meet", "lead", "keep", "bring", "tell",
      "say", "feel", "become", "begin", "build", "catch", "eat", "fly", "rise", "shine", "spin",
      "swim", "throw", "write", "ride", "drive", "choose", "break", "hide", "show", "strike",
      "stick", "cover", "know", "touch", "contain", "appear", "overlap", "face", "point", "look",
      "carry", "include", "occupy", "fill", "surround", "move", "lean", "rest", "float", "block",
      "border", "cross", "reach", "extend", "stretch", "walk", "play", "use", "read", "watch",
      "wait", "live", "work", "smile", "sleep", "jump", "climb", "follow", "feature", "depict",
      "display", "belong", "remain", "stay", "seem", "form", "create", "mark", "separate",
      "connect", "divide", "frame", "line", "dominate", "shade", "match", "resemble", "share",
      "outline", "hover", "sail", "park", "drink", "hug", "pose", "hit", "cast", "want", "need",
      "like", "love", "have", "do", "sing", "dance", "cook", "open", "close", "pass", "mix");

  /** Words ending in "ed" or "s" that are not verb forms in this domain. */
  static final Set<String> NOT_VERBS = Set.of(
      "red", "bed", "shed", "striped", "dotted", "shaped", "colored", "coloured", "filled",
      "curved", "rounded", "pointed", "shaded", "outlined", "sized", "glass", "grass", "bus",
      "gas", "plus", "class", "dress", "cross", "canvas", "always", "sometimes", "perhaps",
      "this", "his", "its", "is", "was", "has", "does", "as", "us", "yes", "less", "across",
      "news", "series", "species", "lens", "process", "success", "address", "boss", "moss");

  /** Common colour and size adjectives; a word after one of these is a noun, not a verb. */
  static final Set<String> ADJECTIVES = Set.of(
      "red", "blue", "green", "yellow", "black", "white", "orange", "purple", "pink", "brown",
      "gray", "grey", "big", "small", "large", "little", "tiny", "huge", "dark", "light", "bright",
      "round", "square", "tall", "short", "long", "wide", "narrow", "old", "young", "new");

  /** Words whose first letter is lower-cased when they move from the start of a sentence. */
  static final Set<String> COMMON_OPENERS = Set.of(
      "the", "a", "an", "this", "that", "these", "those", "there", "it", "they", "he", "she", "we",
      "you", "some", "one", "two", "three", "four", "five", "several", "many", "each", "every",
      "no", "both", "all", "its", "their", "his", "her", "my", "our", "your", "another", "in",
      "on", "at", "near", "next", "above", "below", "under", "behind", "beside", "inside",
      "people", "men", "women", "children", "someone", "something", "everyone", "everything",
      "nothing", "nobody", "most", "none", "here", "what", "such");

  private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");

  /** Splits stripped text at runs of white space. */
  static String[] words(String s) {
    String t = s.strip();
    return t.isEmpty() ? new String[0] : WHITESPACE.split(t);
  }

  /** Collapses runs of white space to one space. */
  static String squash(String s) {
    return WHITESPACE.matcher(s).replaceAll(" ");
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** Strips punctuation around a word and lower-cases it. */
  static String bare(String token) {
    int b = 0;
    int e = token.length();
    while (b < e && !Character.isLetterOrDigit(token.charAt(b))) {
      b++;
    }
    while (e > b && !Character.isLetterOrDigit(token.charAt(e - 1)) && token.charAt(e - 1) != '\'') {
      e--;
    }
    return lower(token.substring(b, e)).replace('\u2019', '\'');
  }

  static boolean isDeterminer(String token) {
    return DETERMINERS.contains(bare(token));
  }

  static boolean isPreposition(String token) {
    return PREPOSITIONS.contains(bare(token));
  }

  /**
   * Guesses whether a noun phrase (without a trailing prepositional phrase) is plural, from its
   * determiner or, failing that, from its last word.
   */
  static boolean isPluralNounPhrase(String[] words) {
    if (words.length == 0) {
      return false;
    }
    String det = bare(words[0]);
    if (SINGULAR_DETERMINERS.contains(det)) {
      return false;
    }
    if (PLURAL_DETERMINERS.contains(det)) {
      return true;
    }
    if (!det.isEmpty() && det.chars().allMatch(Character::isDigit)) {
      return !det.equals("1");
    }
    String head = bare(words[words.length - 1]);
    return head.length() > 2 && head.endsWith("s") && !head.endsWith("ss")
        && !NOT_VERBS.contains(head);
  }

  /** How a verb form is inflected, which decides the form of "do" that supports it. */
  enum Inflection {
    /** The base form ("touch"), also the plural present. */
    BASE("do"),
    /** The third person singular present ("touches"). */
    THIRD_PERSON("does"),
    /** The past tense ("touched", "sat"). */
    PAST("did");

    private final String doSupport;

    Inflection(String doSupport) {
      this.doSupport = doSupport;
    }

    /** The form of "do" a question in this tense and person starts with. */
    String doSupport() {
      return doSupport;
    }
  }

  /**
   * A verb form taken apart.
   *
   * @param base the base form ("touch" for "touches")
   * @param inflection how the form was inflected
   */
  record VerbForm(String base, Inflection inflection) {}

  /**
   * Takes a lower-case verb form apart by its ending and the irregular past forms: "touches" is
   * the third person of "touch", "moved" the past of "move", "sat" the past of "sit". Any word
   * gets an answer; whether it is a verb at all is for the caller to judge.
   */
  static VerbForm verbForm(String v) {
    String irregular = IRREGULAR_PAST.get(v);
    if (irregular != null) {
      return new VerbForm(irregular, Inflection.PAST);
    }
    if (v.equals("has")) {
      return new VerbForm("have", Inflection.THIRD_PERSON);
    }
    if (v.equals("does")) {
      return new VerbForm("do", Inflection.THIRD_PERSON);
    }
    if (v.length() > 3 && v.endsWith("ed")) {
      return new VerbForm(pastStem(v), Inflection.PAST);
    }
    if (v.length() > 2 && v.endsWith("s") && !v.endsWith("ss")) {
      if (v.endsWith("ies") && v.length() > 4) {
        return new VerbForm(v.substring(0, v.length() - 3) + "y", Inflection.THIRD_PERSON);
      }
      String minusEs = v.substring(0, v.length() - 2);
      if (v.endsWith("es") && (minusEs.endsWith("ch") || minusEs.endsWith("sh")
          || minusEs.endsWith("ss") || minusEs.endsWith("x") || minusEs.endsWith("z")
          || minusEs.endsWith("o"))) {
        return new VerbForm(minusEs, Inflection.THIRD_PERSON);
      }
      return new VerbForm(v.substring(0, v.length() - 1), Inflection.THIRD_PERSON);
    }
    return new VerbForm(v, Inflection.BASE);
  }

  /** The base form of a regular past tense ("placed" -> "place", "stopped" -> "stop"). */
  private static String pastStem(String v) {
    String minusEd = v.substring(0, v.length() - 2);
    String minusD = v.substring(0, v.length() - 1);
    if (BASE_VERBS.contains(minusD)) {
      return minusD;
    }
    if (BASE_VERBS.contains(minusEd)) {
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

  /** Whether a word (punctuation and case aside) is a form of "be". */
  static boolean isBe(String word) {
    return switch (bare(word)) {
      case "is", "are", "was", "were", "am", "isn't", "aren't", "wasn't", "weren't" -> true;
      default -> false;
    };
  }

  /** Upper-cases the first letter. */
  static String capitalize(String s) {
    if (s.isEmpty()) {
      return s;
    }
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  /** Lower-cases the first letter of a sentence-initial common word ("The" but not "Paris"). */
  static String decapitalizeOpener(String token) {
    if (token.isEmpty() || !Character.isUpperCase(token.charAt(0))) {
      return token;
    }
    if (COMMON_OPENERS.contains(bare(token)) || AUXILIARIES.contains(bare(token))) {
      return Character.toLowerCase(token.charAt(0)) + token.substring(1);
    }
    return token;
  }
}
