package org.rlaifv.core.shapes;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rlaifv.InvalidInputException;

/**
 * Error rates of responses about hard-world scenes, one per {@link ErrorKind}, with coverage.
 *
 * <p>Every sentence is parsed into {@link HardFact}s ({@link HardGrammar#parse(String)}):
 *
 * <ul>
 *   <li>An object statement names an <em>absent object</em> (a hallucination, counted in CHAIR_i)
 *       when {@link HardFact.ObjectFact#match(Scene)} finds no object: nothing of its shape in the
 *       named cell and nothing of its colour and shape anywhere. Otherwise it is about the matched
 *       object, and has an <em>attribute error</em> when the named colour or size differs from it.
 *   <li>A count statement is wrong when it differs from the number of objects.
 *   <li>A relation statement is wrong when it does not {@linkplain HardFact#holdsIn(Scene) hold}.
 *   <li>An object is covered when some object statement is matched to it (whatever the attributes
 *       it names), so fixing an attribute never changes coverage; dropping a sentence does.
 * </ul>
 *
 * <p>Rates of an empty denominator are 0. Stateless and thread-safe.
 */
public final class HardMetrics {

  private HardMetrics() {}

  /**
   * Counts of one evaluation and the rates derived from them.
   *
   * @param responses number of responses
   * @param objectClaims object statements
   * @param absentObjects object statements naming an absent object
   * @param hallucinatingResponses responses with at least one absent object
   * @param matchedClaims object statements matched to an object
   * @param attributeErrors of those, the ones naming a wrong colour or size
   * @param countClaims count statements
   * @param countErrors wrong count statements
   * @param relationClaims relation statements
   * @param relationErrors false relation statements
   * @param responsesWithError responses with at least one false statement of any kind
   * @param objects objects present in the scenes
   * @param coveredObjects objects some statement of their response is matched to
   * @param words total whitespace-separated words
   */
  public record Report(int responses, int objectClaims, int absentObjects,
      int hallucinatingResponses, int matchedClaims, int attributeErrors, int countClaims,
      int countErrors, int relationClaims, int relationErrors, int responsesWithError, int objects,
      int coveredObjects, long words) {

    /**
     * Validates the counts.
     *
     * @throws InvalidInputException when a part exceeds its whole or a count is negative
     */
    public Report {
      if (responses < 0 || absentObjects < 0 || absentObjects > objectClaims
          || hallucinatingResponses < 0 || hallucinatingResponses > responses
          || attributeErrors < 0 || attributeErrors > matchedClaims
          || countErrors < 0 || countErrors > countClaims
          || relationErrors < 0 || relationErrors > relationClaims
          || responsesWithError < 0 || responsesWithError > responses
          || coveredObjects < 0 || coveredObjects > objects || words < 0) {
        throw new InvalidInputException("inconsistent hard-world metric counts");
      }
    }

    /**
     * Returns CHAIR_i: object statements naming an absent object / all object statements.
     *
     * @return a fraction in [0, 1]
     */
    public double chairI() {
      return ratio(absentObjects, objectClaims);
    }

    /**
     * Returns CHAIR_s: responses naming an absent object / all responses.
     *
     * @return a fraction in [0, 1]
     */
    public double chairS() {
      return ratio(hallucinatingResponses, responses);
    }

    /**
     * Returns the error rate of one kind: wrong statements of that kind / statements of that kind
     * (for {@link ErrorKind#OBJECT}, CHAIR_i; for attributes, among matched object statements).
     *
     * @param kind the kind
     * @return a fraction in [0, 1]
     */
    public double errorRate(ErrorKind kind) {
      return switch (kind) {
        case OBJECT -> chairI();
        case COUNT -> ratio(countErrors, countClaims);
        case ATTRIBUTE -> ratio(attributeErrors, matchedClaims);
        case RELATION -> ratio(relationErrors, relationClaims);
      };
    }

    /**
     * Returns every kind's error rate.
     *
     * @return kind to rate, in declaration order
     */
    public Map<ErrorKind, Double> errorRates() {
      Map<ErrorKind, Double> m = new EnumMap<>(ErrorKind.class);
      for (ErrorKind k : ErrorKind.values()) {
        m.put(k, errorRate(k));
      }
      return m;
    }

    /**
     * Returns the share of responses with at least one false statement of any kind.
     *
     * @return a fraction in [0, 1]
     */
    public double anyErrorRate() {
      return ratio(responsesWithError, responses);
    }

    /**
     * Returns the share of all statements that are false, of any kind.
     *
     * @return a fraction in [0, 1]
     */
    public double falseClaimRate() {
      return ratio(absentObjects + attributeErrors + countErrors + relationErrors,
          objectClaims + countClaims + relationClaims);
    }

    /**
     * Returns coverage: objects some statement is matched to / objects present.
     *
     * @return a fraction in [0, 1]
     */
    public double coverage() {
      return ratio(coveredObjects, objects);
    }

    /**
     * Returns the mean number of words per response.
     *
     * @return the mean, 0 without responses
     */
    public double meanWords() {
      return responses == 0 ? 0 : (double) words / responses;
    }

    /**
     * Returns the object-level figures as a {@link ShapesMetrics.Report} (CHAIR_i, CHAIR_s,
     * coverage, words), for code written for the easy world; position is not measured there.
     *
     * @return the report
     */
    public ShapesMetrics.Report objectReport() {
      return new ShapesMetrics.Report(responses, objectClaims, absentObjects,
          hallucinatingResponses, objects, coveredObjects, 0, 0, words);
    }
  }

  /**
   * Evaluates responses against their scenes.
   *
   * @param scenes the ground truth, one per response
   * @param responses the response texts, in the same order
   * @return the counts and rates
   * @throws InvalidInputException when the lists differ in length
   */
  public static Report evaluate(List<Scene> scenes, List<String> responses) {
    if (scenes.size() != responses.size()) {
      throw new InvalidInputException(
          "got " + scenes.size() + " scenes but " + responses.size() + " responses");
    }
    int objectClaims = 0;
    int absent = 0;
    int hallucinating = 0;
    int matched = 0;
    int attribute = 0;
    int countClaims = 0;
    int countErrors = 0;
    int relationClaims = 0;
    int relationErrors = 0;
    int withError = 0;
    int objects = 0;
    int covered = 0;
    long words = 0;
    for (int i = 0; i < scenes.size(); i++) {
      Scene scene = scenes.get(i);
      String text = responses.get(i);
      boolean anyAbsent = false;
      boolean anyError = false;
      boolean[] cover = new boolean[scene.objects().size()];
      for (HardFact f : HardGrammar.parse(text)) {
        if (f instanceof HardFact.ObjectFact o) {
          objectClaims++;
          Optional<SceneObject> m = o.match(scene);
          if (m.isEmpty()) {
            absent++;
            anyAbsent = true;
            anyError = true;
            continue;
          }
          matched++;
          cover[scene.objects().indexOf(m.get())] = true;
          boolean wrong = o.colour().map(c -> c != m.get().colour()).orElse(false)
              || o.size().map(z -> z != SizeClass.of(m.get())).orElse(false);
          if (wrong) {
            attribute++;
            anyError = true;
          }
        } else if (f instanceof HardFact.CountFact c) {
          countClaims++;
          if (!c.holdsIn(scene)) {
            countErrors++;
            anyError = true;
          }
        } else if (f instanceof HardFact.RelationFact r) {
          relationClaims++;
          if (!r.holdsIn(scene)) {
            relationErrors++;
            anyError = true;
          }
        }
      }
      hallucinating += anyAbsent ? 1 : 0;
      withError += anyError ? 1 : 0;
      objects += cover.length;
      for (boolean b : cover) {
        covered += b ? 1 : 0;
      }
      String t = text.strip();
      words += t.isEmpty() ? 0 : t.split("\\s+").length;
    }
    return new Report(scenes.size(), objectClaims, absent, hallucinating, matched, attribute,
        countClaims, countErrors, relationClaims, relationErrors, withError, objects, covered,
        words);
  }

  private static double ratio(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
