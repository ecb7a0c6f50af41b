package org.rlaifv.testkit;

import java.util.List;
import org.rlaifv.Claim;
import org.rlaifv.Image;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;

/** Sample data shared by the contract tests of the fakes. */
final class ContractSamples {
  private ContractSamples() {}

  static Image image() {
    return TestSets.solid(200, 30, 30);
  }

  static List<PolarQuestion> questions() {
    return List.of(
        new PolarQuestion(new Claim("there is a red circle."), "is there a red circle?"),
        new PolarQuestion(new Claim("there is a blue cross."), "is there a blue cross?"),
        new PolarQuestion(new Claim("the square is green."), "is the square green?"));
  }

  static List<Prompt> prompts() {
    return List.of(
        new Prompt("p1", image(), "describe the image."),
        new Prompt("p2", TestSets.solid(30, 30, 200), "what is on the left?"),
        new Prompt("p3", image(), "is there a red circle?"));
  }
}
