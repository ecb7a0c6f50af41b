package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlaifv.Image;
import org.rlaifv.Prompt;
import org.rlaifv.Response;
import org.rlaifv.SamplingParams;
import org.rlaifv.examples.shapes.ConfoundedSampler;

class ConfoundedSamplerTest {

  @Test
  void halfTheCandidatesComeFromEachTemperatureWithDistinctIndicesAndSeeds() {
    List<Double> temperatures = new ArrayList<>();
    ConfoundedSampler sampler = new ConfoundedSampler((prompt, params) -> {
      List<Response> out = new ArrayList<>();
      for (int i = 0; i < params.n(); i++) {
        temperatures.add(params.temperature());
        out.add(new Response(prompt.id(), i, "t=" + params.temperature(), params.seedFor(i), 1));
      }
      return out;
    }, 0.5, 1.5);
    Prompt p = new Prompt("p", new Image(2, 2, new byte[12]), "describe the image.");
    SamplingParams params = SamplingParams.builder().n(5).temperature(1.0).maxNewTokens(4)
        .baseSeed(3L).build();
    List<Response> rs = sampler.sample(p, params);
    assertEquals(5, rs.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(i, rs.get(i).index());
      assertEquals(i < 2 ? "t=0.5" : "t=1.5", rs.get(i).text());
      assertEquals(params.seedFor(i), rs.get(i).seed(), "the method's seed of sample " + i);
    }
    assertEquals(List.of(0.5, 0.5, 0.5, 0.5, 0.5, 1.5, 1.5, 1.5, 1.5, 1.5), temperatures);
  }
}
