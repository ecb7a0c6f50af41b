package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.InvalidInputException;
import org.rlaifv.core.shapes.PolarExample;
import org.rlaifv.core.shapes.QuestionKind;
import org.rlaifv.core.shapes.ShapesOracleJudge;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.TokenizerFiles;
import org.rlaifv.djl.model.VlmModel;
import org.rlaifv.examples.shapes.ShapesModels;

class HardPretrainTest {

  @Test
  void relationQuestionsAlternateTrueAndWrongAndTheOracleAgrees() {
    ShapesWorld world = ShapesWorld.hard();
    Set<String> questions = new HashSet<>();
    for (long i = 0; i < 200; i++) {
      PolarExample e = HardPretrain.relationQuestion(world, Split.TRAIN, 7, i);
      assertEquals(i % 2 == 0 ? QuestionKind.RELATION : QuestionKind.WRONG_RELATION, e.kind());
      assertEquals(e.answer(), ShapesOracleJudge.judgeHard(e.scene(), e.toPolarQuestion())
          .pYes() > 0.5, e.question());
      assertEquals(e.question(),
          HardPretrain.relationQuestion(world, Split.TRAIN, 7, i).question());
      questions.add(e.question());
    }
    assertTrue(questions.size() > 150, "questions repeat: " + questions.size());
  }

  @Test
  void deepenKeepsEveryParameterAndAddsFreshLayersOnTop(@TempDir Path tmp) {
    Path tokenizer = tmp.resolve("tokenizer.json");
    int vocab = TokenizerFiles.writeWordLevel(tokenizer,
        ShapesModels.vocabulary(ShapesWorld.hard()));
    Path small = tmp.resolve("small");
    try (LoadedVlm m = LoadedVlm.create(ShapesModels.policyConfig(vocab), 5, tokenizer,
        ShapesModels.FORMAT, Device.cpu())) {
      m.save(small);
    }
    Path deep = tmp.resolve("deep");
    HardPretrain.deepen(small, deep, 5, 9, tokenizer);
    try (VlmModel a = VlmModel.load(small, Device.cpu());
        VlmModel b = VlmModel.load(deep, Device.cpu())) {
      assertEquals(5, b.config().numHiddenLayers());
      Map<String, NDArray> kept = a.parameters();
      for (Map.Entry<String, NDArray> e : kept.entrySet()) {
        assertTrue(Arrays.equals(e.getValue().toFloatArray(),
            b.parameters().get(e.getKey()).toFloatArray()), e.getKey());
      }
      String layer = "language_model.model.layers.";
      long perLayer = kept.keySet().stream().filter(n -> n.startsWith(layer + "0.")).count();
      for (int i = 3; i < 5; i++) {
        String prefix = layer + i + ".";
        assertEquals(perLayer, b.parameterNames().stream().filter(n -> n.startsWith(prefix))
            .count(), prefix);
      }
      assertEquals(kept.size() + 2 * perLayer, b.parameters().size());
      float[] fresh = b.parameters().get(layer + "4.self_attn.q_proj.weight").toFloatArray();
      assertTrue(fresh[0] != 0 || fresh[1] != 0, "new layers are initialised");
    }
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> HardPretrain.deepen(deep, tmp.resolve("x"), 5, 9, tokenizer));
    assertTrue(e.getMessage().contains("has 5 decoder layers"), e.getMessage());
  }
}
