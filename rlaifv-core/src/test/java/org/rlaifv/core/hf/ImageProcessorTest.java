package org.rlaifv.core.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.hf.ImageProcessor.Kind;
import org.rlaifv.core.hf.ImageProcessor.Size;
import org.rlaifv.core.io.Json;

class ImageProcessorTest {

  @TempDir Path dir;

  private Path config(String json) throws IOException {
    Path f = dir.resolve("preprocessor_config.json");
    Files.writeString(f, json, StandardCharsets.UTF_8);
    return f;
  }

  static Stream<Arguments> processorCases() {
    return StreamSupport.stream(Goldens.cases("processor.json").spliterator(), false)
        .map(c -> Arguments.of(c.get("description").asText(), c));
  }

  /** The config file as written by the reference, read back, gives transformers' numbers. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("processorCases")
  void matchesTransformersPixelValues(String description, JsonNode c) throws IOException {
    ImageProcessor p = ImageProcessor.read(config(Json.writer().writeValueAsString(c.get("config"))));
    Image img = Image.fromFile(Goldens.dir().resolve(c.get("file").asText()));

    Image prepared = p.prepare(img);
    assertEquals(c.get("uint8_width").intValue(), prepared.width(), "uint8 width");
    assertEquals(c.get("uint8_height").intValue(), prepared.height(), "uint8 height");
    assertArrayEquals(Goldens.bytes(c.get("uint8_rgb")), prepared.rgb(), "uint8 before rescale");

    float[] expected = Goldens.floats(c.get("pixel_values"));
    float[] actual = p.preprocess(img);
    assertEquals(expected.length, actual.length);
    assertEquals(3 * prepared.width() * prepared.height(), actual.length);
    double maxDiff = 0;
    int differentBits = 0;
    for (int i = 0; i < expected.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((double) expected[i] - actual[i]));
      if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
        differentBits++;
      }
    }
    assertTrue(maxDiff <= 1e-6, "max |diff| " + maxDiff);
    // Same float32 operations in the same order: the values are identical, not merely close.
    assertEquals(0, differentBits, "values differing in any bit (max |diff| " + maxDiff + ")");
    if (p.hasFixedOutputSize()) {
      assertEquals(c.get("shape").get(1).intValue(), p.outputHeight());
      assertEquals(c.get("shape").get(2).intValue(), p.outputWidth());
    }
  }

  @Test
  void absentFieldsTakeEachClassDefaults() throws IOException {
    ImageProcessor clip = ImageProcessor.read(config("{\"image_processor_type\": \"CLIPImageProcessor\"}"));
    assertEquals(Kind.CLIP, clip.kind());
    assertTrue(clip.doResize());
    assertEquals(Size.shortestEdge(224), clip.size());
    assertEquals(Resample.BICUBIC, clip.resample());
    assertTrue(clip.doCenterCrop());
    assertEquals(Size.of(224, 224), clip.cropSize());
    assertTrue(clip.doRescale());
    assertEquals(1 / 255.0, clip.rescaleFactor());
    assertTrue(clip.doNormalize());
    assertArrayEquals(new double[] {0.48145466, 0.4578275, 0.40821073}, clip.imageMean());
    assertArrayEquals(new double[] {0.26862954, 0.26130258, 0.27577711}, clip.imageStd());
    assertTrue(clip.doConvertRgb());
    assertEquals(224, clip.outputHeight());
    assertEquals(224, clip.outputWidth());

    ImageProcessor siglip =
        ImageProcessor.read(config("{\"image_processor_type\": \"SiglipImageProcessor\"}"));
    assertEquals(Kind.SIGLIP, siglip.kind());
    assertEquals(Size.of(224, 224), siglip.size());
    assertEquals(Resample.BICUBIC, siglip.resample());
    assertFalse(siglip.doCenterCrop());
    assertFalse(siglip.doConvertRgb());
    assertArrayEquals(new double[] {0.5, 0.5, 0.5}, siglip.imageMean());
    assertArrayEquals(new double[] {0.5, 0.5, 0.5}, siglip.imageStd());

    ImageProcessor llava =
        ImageProcessor.read(config("{\"image_processor_type\": \"LlavaImageProcessor\"}"));
    assertEquals(Kind.LLAVA, llava.kind());
    assertFalse(llava.doPad());
    assertEquals(Size.shortestEdge(224), llava.size());
  }

  @Test
  void aRealClipConfigReads() throws IOException {
    // openai/clip-vit-large-patch14-336's preprocessor_config.json, as published.
    ImageProcessor p = ImageProcessor.read(config("""
        {
          "crop_size": 336,
          "do_center_crop": true,
          "do_normalize": true,
          "do_resize": true,
          "feature_extractor_type": "CLIPFeatureExtractor",
          "image_mean": [0.48145466, 0.4578275, 0.40821073],
          "image_std": [0.26862954, 0.26130258, 0.27577711],
          "resample": 3,
          "size": 336
        }"""));
    assertEquals(Kind.CLIP, p.kind());
    assertEquals(Size.shortestEdge(336), p.size());
    assertEquals(Size.of(336, 336), p.cropSize());
    Image img = Image.fromFile(Goldens.dir().resolve("rgb_60x41.png"));
    assertEquals(3 * 336 * 336, p.preprocess(img).length);
  }

  @Test
  void nullBooleansAreFalseAndUnknownKeysAreIgnored() throws IOException {
    ImageProcessor p = ImageProcessor.read(config("""
        {"image_processor_type": "SiglipImageProcessor", "do_convert_rgb": null,
         "do_normalize": null, "processor_class": "SiglipProcessor", "image_seq_length": 64,
         "do_center_crop": true, "crop_size": {"height": 3, "width": 3}}"""));
    assertFalse(p.doConvertRgb());
    assertFalse(p.doNormalize());
    assertFalse(p.doCenterCrop(), "SiglipImageProcessor ignores do_center_crop");
  }

  @Test
  void fastVariantsComputeAsThePilProcessor() throws IOException {
    ImageProcessor p = ImageProcessor.read(config(
        "{\"image_processor_type\": \"CLIPImageProcessorFast\", \"size\": {\"shortest_edge\": 8},"
            + " \"crop_size\": {\"height\": 8, \"width\": 8}}"));
    assertEquals(Kind.CLIP, p.kind());
  }

  @Test
  void useSquareSizeMakesTheResizeSquare() throws IOException {
    ImageProcessor p = ImageProcessor.read(config(
        "{\"image_processor_type\": \"CLIPImageProcessor\", \"size\": 10, \"use_square_size\": true,"
            + " \"do_center_crop\": false}"));
    assertEquals(Size.of(10, 10), p.size());
    assertTrue(p.hasFixedOutputSize());
  }

  @Test
  void badConfigsNameTheFileAndField() throws IOException {
    assertBad("{\"image_processor_type\": \"ViTImageProcessor\"}", "image_processor_type");
    assertBad("{\"do_resize\": true}", "image_processor_type");
    assertBad("[1, 2]", "not a JSON object");
    assertBad("{\"image_processor_type\": \"CLIPImageProcessor\", \"resample\": 9}", "resample");
    assertBad("{\"image_processor_type\": \"CLIPImageProcessor\", \"resample\": \"bicubic\"}",
        "resample");
    assertBad("{\"image_processor_type\": \"CLIPImageProcessor\", \"size\": {\"width\": 3}}", "size");
    assertBad("{\"image_processor_type\": \"CLIPImageProcessor\", \"size\": {\"shortest_edge\": 3,"
        + " \"longest_edge\": 9}}", "longest_edge");
    assertBad("{\"image_processor_type\": \"CLIPImageProcessor\", \"size\": {\"shortest_edge\": 0}}",
        "size");
    assertBad("{\"image_processor_type\": \"CLIPImageProcessor\", \"crop_size\": {\"shortest_edge\":"
        + " 5}}", "crop_size");
    assertBad("{\"image_processor_type\": \"SiglipImageProcessor\", \"size\": {\"shortest_edge\":"
        + " 5}}", "size");
    assertBad("{\"image_processor_type\": \"SiglipImageProcessor\", \"size\": 5}", "size");
    assertBad("{\"image_processor_type\": \"CLIPImageProcessor\", \"image_mean\": [0.5, 0.5]}",
        "image_mean");
    assertBad("{\"image_processor_type\": \"CLIPImageProcessor\", \"image_std\": [1, 0, 1]}",
        "imageStd");
    assertBad("{\"image_processor_type\": \"CLIPImageProcessor\", \"do_resize\": \"yes\"}",
        "do_resize");
    assertBad("{\"image_processor_type\": \"CLIPImageProcessor\", \"rescale_factor\": null}",
        "rescale_factor");
    assertBad("{\"image_processor_type\": \"CLIPImageProcessor\", \"rescale_factor\": -1}",
        "rescale_factor");
    assertBad("{\"image_processor_type\": \"CLIPImageProcessor\"", "not valid JSON");
    Path missing = dir.resolve("absent.json");
    var e = assertThrows(ModelFormatException.class, () -> ImageProcessor.read(missing));
    assertTrue(e.getMessage().contains("absent.json"), e.getMessage());
  }

  private void assertBad(String json, String field) throws IOException {
    Path f = config(json);
    var e = assertThrows(ModelFormatException.class, () -> ImageProcessor.read(f), json);
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(field), e.getMessage());
  }

  @Test
  void builderStartsFromTheClassDefaultsAndValidates() {
    ImageProcessor siglip = ImageProcessor.builder(Kind.SIGLIP).size(16, 24).build();
    assertEquals(16, siglip.outputHeight());
    assertEquals(24, siglip.outputWidth());
    assertThrows(InvalidInputException.class,
        () -> ImageProcessor.builder(Kind.SIGLIP).shortestEdge(16).build());
    assertThrows(InvalidInputException.class,
        () -> ImageProcessor.builder(Kind.SIGLIP).doCenterCrop(true).build());
    assertThrows(InvalidInputException.class,
        () -> ImageProcessor.builder(Kind.CLIP).doPad(true).build());
    assertThrows(InvalidInputException.class,
        () -> ImageProcessor.builder(Kind.CLIP).imageMean(1, 2).build());
    assertThrows(InvalidInputException.class,
        () -> ImageProcessor.builder(Kind.CLIP).rescaleFactor(0).build());
    assertThrows(InvalidInputException.class,
        () -> ImageProcessor.builder(Kind.LLAVA).doPad(true).imageMean(2.0).build());
    assertThrows(InvalidInputException.class, () -> Size.of(0, 3));
    assertThrows(InvalidInputException.class, () -> new Size(3, 3, 3));

    ImageProcessor clip = ImageProcessor.builder(Kind.CLIP).shortestEdge(12).cropSize(10, 12)
        .resample(Resample.BILINEAR).imageMean(0.25).build();
    ImageProcessor copy = clip.toBuilder().build();
    assertEquals(clip.toString(), copy.toString());
    assertArrayEquals(new double[] {0.25, 0.25, 0.25}, copy.imageMean());
    assertEquals(Resample.BILINEAR, copy.resample());
  }

  @Test
  void builtAndReadProcessorsAgree() throws IOException {
    ImageProcessor built = ImageProcessor.builder(Kind.CLIP).shortestEdge(16).cropSize(16, 16).build();
    ImageProcessor read = ImageProcessor.read(config(
        "{\"image_processor_type\": \"CLIPImageProcessor\", \"size\": {\"shortest_edge\": 16},"
            + " \"crop_size\": {\"height\": 16, \"width\": 16}}"));
    Image img = Image.fromFile(Goldens.dir().resolve("rgb_60x41.png"));
    assertArrayEquals(read.preprocess(img), built.preprocess(img));
  }

  @Test
  void outputSizeDependsOnTheInputWithoutACrop() {
    ImageProcessor p = ImageProcessor.builder(Kind.CLIP).shortestEdge(10).doCenterCrop(false).build();
    assertFalse(p.hasFixedOutputSize());
    assertThrows(IllegalStateException.class, p::outputHeight);
    Image wide = Image.fromFile(Goldens.dir().resolve("rgb_13x7.png"));
    Image tall = Image.fromFile(Goldens.dir().resolve("gray_9x14.png"));
    Image prepared = p.prepare(wide);
    assertEquals(10, prepared.height());
    assertEquals(18, prepared.width()); // int(10 * 13 / 7) = 18
    var e = assertThrows(InvalidInputException.class, () -> p.preprocess(List.of(wide, tall)));
    assertTrue(e.getMessage().contains("image 1"), e.getMessage());
    assertTrue(ImageProcessor.builder(Kind.LLAVA).doPad(true).doCenterCrop(false).build()
        .hasFixedOutputSize());
  }

  @Test
  void batchesStackImagesInOrder() {
    ImageProcessor p = ImageProcessor.builder(Kind.SIGLIP).size(6, 5).build();
    Image a = Image.fromFile(Goldens.dir().resolve("rgb_13x7.png"));
    Image b = Image.fromFile(Goldens.dir().resolve("gray_9x14.png"));
    float[] batch = p.preprocess(List.of(a, b));
    float[] pa = p.preprocess(a);
    float[] pb = p.preprocess(b);
    assertEquals(pa.length + pb.length, batch.length);
    assertArrayEquals(pa, java.util.Arrays.copyOfRange(batch, 0, pa.length));
    assertArrayEquals(pb, java.util.Arrays.copyOfRange(batch, pa.length, batch.length));
    assertEquals(0, p.preprocess(List.of()).length);
  }

  @Test
  void shortestEdgeTruncatesTheLongSide() {
    assertArrayEquals(new int[] {224, 298}, ImageProcessor.shortestEdgeSize(480, 640, 224));
    assertArrayEquals(new int[] {298, 224}, ImageProcessor.shortestEdgeSize(640, 480, 224));
    assertArrayEquals(new int[] {7, 7}, ImageProcessor.shortestEdgeSize(3, 3, 7));
    assertArrayEquals(new int[] {20, 28}, ImageProcessor.shortestEdgeSize(5, 7, 20));
  }

  @Test
  void centreCropPadsWithZerosWhereTheImageIsSmaller() {
    Image one = new Image(1, 1, new byte[] {10, 20, 30});
    Image c = ImageProcessor.centerCrop(one, 2, 3);
    // floor((1 - 2) / 2) = -1 rows above, floor((1 - 3) / 2) = -1 columns left.
    assertEquals(3, c.width());
    assertEquals(2, c.height());
    assertEquals(10, c.at(1, 1, 0));
    assertEquals(0, c.at(0, 0, 0));
    assertEquals(0, c.at(2, 1, 2));
    assertSame(one, ImageProcessor.centerCrop(one, 1, 1));
  }
}
