package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.Checkpoint;
import org.rlaifv.Claim;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.Image;
import org.rlaifv.PolarJudge;
import org.rlaifv.PolarQuestion;
import org.rlaifv.Prompt;
import org.rlaifv.ResponseSampler;
import org.rlaifv.SamplingParams;
import org.rlaifv.djl.export.OnnxExporter;
import org.rlaifv.spi.BackendOptions;

/**
 * An export with every graph's weights in ONNX external-data files (as Optimum writes models over
 * 2 GB, forced here on a tiny model) opens in ONNX Runtime and computes what the export with the
 * weights inside the graph files computes; both decoders read one data file.
 */
class ExternalDataExportTest {
  private static final Path FAMILY = Path.of("../rlaifv-djl/src/test/resources/hf/llava-siglip-qwen2");

  @TempDir Path tmp;

  @Test
  void externalDataOpensAndMatchesTheInlineExport() throws Exception {
    Path inline = tmp.resolve("inline");
    Path external = tmp.resolve("external");
    OnnxExporter.export(FAMILY, inline);
    OnnxExporter.export(FAMILY, external, 0);

    for (String graph : List.of(OnnxExporter.VISION, OnnxExporter.EMBED, OnnxExporter.DECODER)) {
      assertTrue(Files.isRegularFile(external.resolve(graph + "_data")), graph + "_data");
      assertFalse(Files.exists(inline.resolve(graph + "_data")), graph + "_data inline");
      assertTrue(Files.size(external.resolve(graph)) < Files.size(inline.resolve(graph)) / 4,
          graph + " holds its weights outside");
    }
    assertFalse(Files.exists(external.resolve(OnnxExporter.SHARED_PREFIX_DECODER + "_data")),
        "the shared-prefix decoder reads the decoder's data file");
    long data = Files.size(external.resolve(OnnxExporter.DECODER + "_data"));
    long weights = Files.size(inline.resolve(OnnxExporter.DECODER));
    assertTrue(data < weights * 1.5, "the decoders' weights are stored once: " + data + " bytes");

    Image image = Image.fromFile(FAMILY.resolve("image.png"));
    List<PolarQuestion> qs =
        List.of(new PolarQuestion(new Claim("a red circle"), "Is there a red circle?"),
            new PolarQuestion(new Claim("a square"), "Is there a square?"));
    BackendOptions cpu = BackendOptions.defaults();
    List<ClaimVerdict> want;
    try (PolarJudge j = OrtPolarJudge.open(Checkpoint.of(inline), cpu)) {
      want = j.judge(image, qs);
    }
    try (PolarJudge j = OrtPolarJudge.open(Checkpoint.of(external), cpu)) {
      List<ClaimVerdict> got = j.judge(image, qs);
      for (int i = 0; i < qs.size(); i++) {
        assertEquals(want.get(i).pYes(), got.get(i).pYes(), 1e-7, "p_yes " + i);
        assertEquals(want.get(i).pNo(), got.get(i).pNo(), 1e-7, "p_no " + i);
      }
    }
    Prompt p = new Prompt("p", image, "Describe the image.");
    SamplingParams greedy = SamplingParams.builder().n(1).temperature(0).maxNewTokens(6).build();
    try (ResponseSampler a = OrtResponseSampler.open(Checkpoint.of(inline), cpu);
        ResponseSampler b = OrtResponseSampler.open(Checkpoint.of(external), cpu);
        OrtVlm optimum = OrtVlm.open(external, cpu, false)) {
      assertEquals(a.sample(p, greedy).get(0).text(), b.sample(p, greedy).get(0).text());
      assertFalse(optimum.model.hasSharedPrefixDecoder(), "the Optimum decoder opens too");
    }
  }
}
