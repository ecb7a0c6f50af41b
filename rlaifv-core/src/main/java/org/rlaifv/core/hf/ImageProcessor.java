package org.rlaifv.core.hf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.primitives.Doubles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.io.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transformers image processor ({@code CLIPImageProcessor}, {@code SiglipImageProcessor} or
 * {@code LlavaImageProcessor}) that turns an RGB image into the {@code pixel_values} the slow,
 * PIL-based processor computes: the same numbers, in float32, in channel-first order.
 *
 * <p>The steps and their arithmetic follow transformers: optional padding to a square of the mean
 * colour (LLaVA's {@code do_pad}); resize with PIL ({@link PilResample}, bit-exact) to either
 * {@code {"shortest_edge": n}} (aspect ratio kept, the long side truncated) or {@code {"height",
 * "width"}}; centre crop to {@code crop_size}, padding with zeros where the image is smaller (CLIP
 * and LLaVA); rescale by multiplying in double precision and rounding to float32; normalize as
 * {@code (x - mean) / std} in float32 with mean and std rounded to float32. SigLIP never crops.
 * Colour conversion ({@code do_convert_rgb}) happens when the image is decoded: {@link Image}
 * always holds RGB, converted as PIL's {@code convert("RGB")} does.
 *
 * <pre>{@code
 * ImageProcessor processor = ImageProcessor.read(modelDir.resolve("preprocessor_config.json"));
 * float[] pixelValues = processor.preprocess(Image.fromFile(photo)); // [3, H, W]
 * ImageProcessor siglip = ImageProcessor.builder(Kind.SIGLIP).size(384, 384).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ImageProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(ImageProcessor.class);

  /** transformers' {@code OPENAI_CLIP_MEAN}. */
  /** The file name of the image processor's config in a model directory. */
  public static final String FILE_NAME = "preprocessor_config.json";

  public static final List<Double> OPENAI_CLIP_MEAN = List.of(0.48145466, 0.4578275, 0.40821073);

  /** transformers' {@code OPENAI_CLIP_STD}. */
  public static final List<Double> OPENAI_CLIP_STD = List.of(0.26862954, 0.26130258, 0.27577711);

  /** transformers' {@code IMAGENET_STANDARD_MEAN} (and {@code _STD}): 0.5 for every channel. */
  public static final List<Double> IMAGENET_STANDARD_MEAN = List.of(0.5, 0.5, 0.5);

  private static final Set<String> KNOWN_KEYS =
      Set.of(
          "image_processor_type", "feature_extractor_type", "processor_class", "do_convert_rgb",
          "do_resize", "size", "resample", "do_center_crop", "crop_size", "do_rescale",
          "rescale_factor", "do_normalize", "image_mean", "image_std", "do_pad",
          "use_square_size");

  /** The transformers class whose semantics a processor follows. */
  public enum Kind {
    /** {@code CLIPImageProcessor}: shortest edge 224, centre crop 224, OpenAI CLIP statistics. */
    CLIP("CLIPImageProcessor"),
    /** {@code SiglipImageProcessor}: 224 x 224 without crop, mean and std 0.5. */
    SIGLIP("SiglipImageProcessor"),
    /** {@code LlavaImageProcessor}: CLIP's defaults plus {@code do_pad} (off by default). */
    LLAVA("LlavaImageProcessor");

    private final String className;

    Kind(String className) {
      this.className = className;
    }

    /**
     * Returns the transformers class name, as written in {@code image_processor_type}.
     *
     * @return for example {@code "CLIPImageProcessor"}
     */
    public String className() {
      return className;
    }
  }

  /**
   * A resize or crop target: either the length of the shortest edge (aspect ratio kept) or an
   * exact height and width. The unused fields are 0.
   *
   * @param shortestEdge target length of the shorter side, or 0 for an exact size
   * @param height exact target height, or 0 with a shortest edge
   * @param width exact target width, or 0 with a shortest edge
   */
  public record Size(int shortestEdge, int height, int width) {

    /**
     * Validates that exactly one form is used and its values are positive.
     *
     * @throws InvalidInputException naming the invalid values
     */
    public Size {
      boolean edge = shortestEdge > 0 && height == 0 && width == 0;
      boolean exact = shortestEdge == 0 && height > 0 && width > 0;
      if (!edge && !exact) {
        throw new InvalidInputException(
            "ImageProcessor.Size needs a positive shortestEdge alone or a positive height and"
                + " width, got shortestEdge="
                + shortestEdge
                + " height="
                + height
                + " width="
                + width);
      }
    }

    /**
     * Returns a shortest-edge target.
     *
     * @param n length of the shorter side after resizing, at least 1
     * @return the size
     */
    public static Size shortestEdge(int n) {
      return new Size(n, 0, 0);
    }

    /**
     * Returns an exact target.
     *
     * @param height height, at least 1
     * @param width width, at least 1
     * @return the size
     */
    public static Size of(int height, int width) {
      return new Size(0, height, width);
    }

    /**
     * Tells whether this is a shortest-edge target.
     *
     * @return true for {@code {"shortest_edge": n}}
     */
    public boolean isShortestEdge() {
      return shortestEdge > 0;
    }
  }

  private final Kind kind;
  private final boolean doConvertRgb;
  private final boolean doResize;
  private final Size size;
  private final Resample resample;
  private final boolean doCenterCrop;
  private final Size cropSize;
  private final boolean doRescale;
  private final double rescaleFactor;
  private final boolean doNormalize;
  private final double[] imageMean;
  private final double[] imageStd;
  private final boolean doPad;
  private final float[] mean32;
  private final float[] std32;

  private ImageProcessor(Builder b) {
    this.kind = b.kind;
    this.doConvertRgb = b.doConvertRgb;
    this.doResize = b.doResize;
    this.size = b.size;
    this.resample = b.resample;
    this.doCenterCrop = b.doCenterCrop;
    this.cropSize = b.cropSize;
    this.doRescale = b.doRescale;
    this.rescaleFactor = b.rescaleFactor;
    this.doNormalize = b.doNormalize;
    this.imageMean = b.imageMean.clone();
    this.imageStd = b.imageStd.clone();
    this.doPad = b.doPad;
    this.mean32 = new float[3];
    this.std32 = new float[3];
    for (int c = 0; c < 3; c++) {
      mean32[c] = (float) imageMean[c];
      std32[c] = (float) imageStd[c];
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reading preprocessor_config.json

  /**
   * Reads a transformers {@code preprocessor_config.json}.
   *
   * <p>The processor class comes from {@code image_processor_type}, or from a legacy {@code
   * feature_extractor_type} such as {@code CLIPFeatureExtractor}; the {@code ...Fast} variants
   * are accepted and computed as the PIL processor (with a warning: transformers' torchvision
   * resize differs slightly). Absent fields take the class's defaults; {@code null} booleans are
   * false, as in Python. {@code size} and {@code crop_size} may be dictionaries, integers or
   * {@code [height, width]} lists, as transformers' {@code get_size_dict} accepts. Keys that do
   * not affect these processors (for example {@code processor_class} or {@code
   * image_seq_length}) are ignored.
   *
   * @param preprocessorConfigJson the file
   * @return the processor
   * @throws ModelFormatException naming the file and field when the file is missing, is not a
   *     JSON object, names an unsupported processor class, or holds a field this class cannot use
   */
  public static ImageProcessor read(Path preprocessorConfigJson) {
    Path file = preprocessorConfigJson;
    JsonNode root;
    try {
      root = Json.reader().readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(
          "image processor config " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ModelFormatException("cannot read image processor config " + file, e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelFormatException("image processor config " + file + " is not a JSON object");
    }
    return fromJson(root, file.toString());
  }

  /**
   * Builds a processor from the parsed contents of a {@code preprocessor_config.json}.
   *
   * @param root the JSON object
   * @param source a name for messages, usually the file
   * @return the processor
   * @throws ModelFormatException naming {@code source} and the field
   */
  public static ImageProcessor fromJson(JsonNode root, String source) {
    if (!root.isObject()) {
      throw new ModelFormatException("image processor config " + source + " is not a JSON object");
    }
    Kind kind = kindOf(root, source);
    Builder b = builder(kind);
    Fields f = new Fields(root, source);
    b.doConvertRgb(f.bool("do_convert_rgb", b.doConvertRgb));
    b.doResize(f.bool("do_resize", b.doResize));
    b.doRescale(f.bool("do_rescale", b.doRescale));
    b.doNormalize(f.bool("do_normalize", b.doNormalize));
    if (kind != Kind.SIGLIP) {
      b.doCenterCrop(f.bool("do_center_crop", b.doCenterCrop));
      b.cropSize(f.size("crop_size", b.cropSize, true));
    }
    if (kind == Kind.LLAVA) {
      b.doPad(f.bool("do_pad", false));
    }
    Size size = f.size("size", b.size, false);
    if (kind == Kind.SIGLIP && size.isShortestEdge()) {
      throw f.error("size", "must be {\"height\": H, \"width\": W} for " + kind.className);
    }
    if (kind == Kind.CLIP && size.isShortestEdge() && f.bool("use_square_size", false)) {
      size = Size.of(size.shortestEdge(), size.shortestEdge());
    }
    b.size(size);
    JsonNode resample = root.get("resample");
    if (resample != null && !(resample.isNull() && !b.doResize)) {
      if (!resample.isIntegralNumber() || resample.intValue() < 0 || resample.intValue() > 5) {
        throw f.error("resample", "must be a PIL filter code 0..5, got " + resample);
      }
      b.resample(Resample.fromPilCode(resample.intValue()));
    }
    JsonNode factor = root.get("rescale_factor");
    if (factor != null && !(factor.isNull() && !b.doRescale)) {
      double v = factor.doubleValue();
      if (!factor.isNumber() || !(v > 0) || !Double.isFinite(v)) {
        throw f.error("rescale_factor", "must be a positive number, got " + factor);
      }
      b.rescaleFactor(factor.doubleValue());
    }
    b.imageMean(f.channels("image_mean", b.imageMean));
    b.imageStd(f.channels("image_std", b.imageStd));
    List<String> ignored = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KNOWN_KEYS.contains(key)) {
        ignored.add(key);
      }
    }
    if (!ignored.isEmpty()) {
      LOG.debug("{}: ignoring keys that do not affect {}: {}", source, kind.className, ignored);
    }
    try {
      return b.build();
    } catch (InvalidInputException e) {
      throw new ModelFormatException(
          "image processor config " + source + " is not usable: " + e.getMessage(), e);
    }
  }

  private static Kind kindOf(JsonNode root, String source) {
    String field = "image_processor_type";
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      field = "feature_extractor_type";
      node = root.get(field);
    }
    if (node == null || node.isNull()) {
      throw new ModelFormatException(
          "image processor config "
              + source
              + " names no image_processor_type (or feature_extractor_type); supported: "
              + supportedNames());
    }
    if (!node.isTextual()) {
      throw new ModelFormatException(
          "image processor config " + source + ": " + field + " must be a string, got " + node);
    }
    String name = node.asText();
    String className = name.replace("FeatureExtractor", "ImageProcessor");
    boolean fast = className.endsWith("ImageProcessorFast");
    if (fast) {
      className = className.substring(0, className.length() - "Fast".length());
    }
    for (Kind k : Kind.values()) {
      if (k.className.equals(className)) {
        if (fast) {
          LOG.warn(
              "{}: {} is transformers' torchvision variant; computing {} as the PIL processor"
                  + " does (transformers' use_fast=False); torchvision's resize can differ"
                  + " slightly",
              source,
              name,
              k.className);
        }
        return k;
      }
    }
    throw new ModelFormatException(
        "image processor config "
            + source
            + ": "
            + field
            + " \""
            + name
            + "\" is not supported; supported: "
            + supportedNames());
  }

  private static String supportedNames() {
    return String.join(
        ", ", Arrays.stream(Kind.values()).map(Kind::className).toArray(String[]::new));
  }

  /** Typed, file-and-field-naming access to the config object. */
  private static final class Fields {
    private final JsonNode root;
    private final String source;

    Fields(JsonNode root, String source) {
      this.root = root;
      this.source = source;
    }

    ModelFormatException error(String field, String what) {
      return new ModelFormatException(
          "image processor config " + source + ": field " + field + " " + what);
    }

    boolean bool(String field, boolean absent) {
      JsonNode n = root.get(field);
      if (n == null) {
        return absent;
      }
      if (n.isNull()) {
        return false; // Python's `if None:`
      }
      if (!n.isBoolean()) {
        throw error(field, "must be true, false or null, got " + n);
      }
      return n.booleanValue();
    }

    Size size(String field, Size absent, boolean defaultToSquare) {
      JsonNode n = root.get(field);
      if (n == null || n.isNull()) {
        return absent;
      }
      if (n.isIntegralNumber()) {
        int v = positive(field, n);
        return defaultToSquare ? Size.of(v, v) : Size.shortestEdge(v);
      }
      if (n.isArray()) {
        if (n.size() != 2) {
          throw error(field, "as a list must be [height, width], got " + n);
        }
        return Size.of(positive(field, n.get(0)), positive(field, n.get(1)));
      }
      if (!n.isObject()) {
        throw error(field, "must be a dictionary, an integer or [height, width], got " + n);
      }
      List<String> keys = new ArrayList<>();
      n.fieldNames().forEachRemaining(keys::add);
      keys.sort(null);
      if (keys.equals(List.of("height", "width"))) {
        return Size.of(positive(field, n.get("height")), positive(field, n.get("width")));
      }
      if (keys.equals(List.of("shortest_edge")) && !defaultToSquare) {
        return Size.shortestEdge(positive(field, n.get("shortest_edge")));
      }
      if (keys.contains("longest_edge")) {
        throw error(
            field,
            "uses longest_edge, which these processors do not support (transformers versions"
                + " disagree on it): "
                + n);
      }
      throw error(
          field,
          "must have the keys "
              + (defaultToSquare ? "height and width" : "height and width, or shortest_edge")
              + ", got "
              + n);
    }

    private int positive(String field, JsonNode n) {
      if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() <= 0) {
        throw error(field, "needs positive integers, got " + n);
      }
      return n.intValue();
    }

    double[] channels(String field, double[] absent) {
      JsonNode n = root.get(field);
      if (n == null || n.isNull()) {
        return absent;
      }
      if (n.isNumber()) {
        double v = n.doubleValue();
        return new double[] {v, v, v};
      }
      if (!n.isArray() || n.size() != 3) {
        throw error(
            field, "must be a number or a list of 3 numbers (one per RGB channel), got " + n);
      }
      double[] out = new double[3];
      for (int c = 0; c < 3; c++) {
        if (!n.get(c).isNumber()) {
          throw error(field, "must hold numbers, got " + n);
        }
        out[c] = n.get(c).doubleValue();
      }
      return out;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Processing

  /**
   * Returns {@code pixel_values} for one image: float32, channel-first {@code [3, H, W]}, as the
   * transformers processor computes them.
   *
   * @param image the RGB image
   * @return {@code 3 * H * W} floats, channel 0 (red) first, rows top to bottom
   */
  public float[] preprocess(Image image) {
    Image u = prepare(image);
    int plane = u.width() * u.height();
    byte[] rgb = u.rgb();
    float[] out = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      float m = mean32[c];
      float s = std32[c];
      int base = c * plane;
      for (int i = 0; i < plane; i++) {
        int v = rgb[3 * i + c] & 0xff;
        // rescale: float64 multiply, then float32; normalize: float32 subtract and divide.
        float x = doRescale ? (float) (v * rescaleFactor) : (float) v;
        if (doNormalize) {
          x = (x - m) / s;
        }
        out[base + i] = x;
      }
    }
    return out;
  }

  /**
   * Returns {@code pixel_values} for a batch: {@code [N, 3, H, W]} flattened.
   *
   * @param images the images; each must come out at the same size
   * @return {@code N * 3 * H * W} floats
   * @throws InvalidInputException when the images come out at different sizes (a CLIP processor
   *     without centre crop keeps each image's aspect ratio)
   */
  public float[] preprocess(List<Image> images) {
    List<float[]> each = new ArrayList<>(images.size());
    int length = -1;
    for (int i = 0; i < images.size(); i++) {
      float[] v = preprocess(images.get(i));
      if (length >= 0 && v.length != length) {
        throw new InvalidInputException(
            "image " + i + " of the batch preprocesses to " + v.length + " values, image 0 to "
                + length + "; this processor's output size depends on the input");
      }
      length = v.length;
      each.add(v);
    }
    float[] out = new float[Math.max(0, length) * images.size()];
    for (int i = 0; i < each.size(); i++) {
      System.arraycopy(each.get(i), 0, out, i * length, length);
    }
    return out;
  }

  /**
   * Returns the 8-bit image just before rescaling: after padding (LLaVA {@code do_pad}), resize
   * and centre crop, with zeros where the crop reaches past the image.
   *
   * @param image the RGB image
   * @return the image whose pixels {@link #preprocess(Image)} rescales and normalizes
   */
  public Image prepare(Image image) {
    Image img = image;
    if (kind == Kind.LLAVA && doPad) {
      img = padToSquare(img);
    }
    if (doResize) {
      int[] hw = resizedHeightWidth(img.height(), img.width());
      img = resize(img, hw[1], hw[0], resample);
    }
    if (kind != Kind.SIGLIP && doCenterCrop) {
      img = centerCrop(img, cropSize.height(), cropSize.width());
    }
    return img;
  }

  /**
   * Resizes an RGB image exactly as PIL's {@code Image.resize} does; see {@link PilResample}.
   *
   * @param image the source image
   * @param width target width
   * @param height target height
   * @param filter the PIL filter
   * @return the resized image
   */
  public static Image resize(Image image, int width, int height, Resample filter) {
    return PilResample.resize(image, width, height, filter);
  }

  /** The size the resize step produces for an input size, as {height, width}. */
  private int[] resizedHeightWidth(int height, int width) {
    if (!size.isShortestEdge()) {
      return new int[] {size.height(), size.width()};
    }
    return shortestEdgeSize(height, width, size.shortestEdge());
  }

  /**
   * transformers' {@code get_resize_output_image_size(size=n, default_to_square=False)}: the
   * shorter side becomes {@code n}, the longer {@code int(n * long / short)} (truncated).
   *
   * @return {height, width}
   */
  static int[] shortestEdgeSize(int height, int width, int n) {
    int shortSide = Math.min(height, width);
    int longSide = Math.max(height, width);
    int newLong = (int) ((double) ((long) n * longSide) / shortSide);
    return width <= height ? new int[] {newLong, n} : new int[] {n, newLong};
  }

  /**
   * transformers' {@code center_crop}: the window starts at {@code floor((in - crop) / 2)}; where
   * it reaches past the image the pixels are 0.
   */
  static Image centerCrop(Image img, int cropHeight, int cropWidth) {
    if (cropHeight == img.height() && cropWidth == img.width()) {
      return img;
    }
    int top = Math.floorDiv(img.height() - cropHeight, 2);
    int left = Math.floorDiv(img.width() - cropWidth, 2);
    byte[] in = img.rgb();
    byte[] out = new byte[cropHeight * cropWidth * 3];
    for (int y = 0; y < cropHeight; y++) {
      int sy = y + top;
      if (sy < 0 || sy >= img.height()) {
        continue;
      }
      int x0 = Math.max(0, -left);
      int x1 = Math.min(cropWidth, img.width() - left);
      if (x1 > x0) {
        System.arraycopy(
            in, (sy * img.width() + x0 + left) * 3, out, (y * cropWidth + x0) * 3, (x1 - x0) * 3);
      }
    }
    return new Image(cropWidth, cropHeight, out);
  }

  /** LLaVA's pad_to_square: the image centred on a square of int(mean * 255) per channel. */
  private Image padToSquare(Image img) {
    int h = img.height();
    int w = img.width();
    if (h == w) {
      return img;
    }
    int side = Math.max(h, w);
    byte[] out = new byte[side * side * 3];
    for (int i = 0; i < side * side; i++) {
      for (int c = 0; c < 3; c++) {
        out[3 * i + c] = (byte) background(c);
      }
    }
    byte[] in = img.rgb();
    int top = w > h ? (side - h) / 2 : 0;
    int left = w > h ? 0 : (side - w) / 2;
    for (int y = 0; y < h; y++) {
      System.arraycopy(in, y * w * 3, out, ((y + top) * side + left) * 3, w * 3);
    }
    return new Image(side, side, out);
  }

  private int background(int channel) {
    return (int) (imageMean[channel] * 255);
  }

  // ---------------------------------------------------------------------------------------------
  // Output size and accessors

  /**
   * Tells whether every input comes out at the same size ({@link #outputHeight()} and {@link
   * #outputWidth()} then answer).
   *
   * @return false only for a shortest-edge resize (or no resize) without centre crop
   */
  public boolean hasFixedOutputSize() {
    return fixedHeightWidth() != null;
  }

  /**
   * Returns the height of {@code pixel_values}.
   *
   * @return H of {@code [3, H, W]}
   * @throws IllegalStateException when the height depends on the input ({@link
   *     #hasFixedOutputSize()} is false)
   */
  public int outputHeight() {
    return requireFixed()[0];
  }

  /**
   * Returns the width of {@code pixel_values}.
   *
   * @return W of {@code [3, H, W]}
   * @throws IllegalStateException when the width depends on the input ({@link
   *     #hasFixedOutputSize()} is false)
   */
  public int outputWidth() {
    return requireFixed()[1];
  }

  private int[] requireFixed() {
    int[] hw = fixedHeightWidth();
    if (hw == null) {
      throw new IllegalStateException(
          "the output size of " + this + " depends on the input image; use prepare(image)");
    }
    return hw;
  }

  private int[] fixedHeightWidth() {
    if (kind != Kind.SIGLIP && doCenterCrop) {
      return new int[] {cropSize.height(), cropSize.width()};
    }
    if (!doResize) {
      return null;
    }
    if (!size.isShortestEdge()) {
      return new int[] {size.height(), size.width()};
    }
    if (kind == Kind.LLAVA && doPad) {
      return new int[] {size.shortestEdge(), size.shortestEdge()};
    }
    return null;
  }

  /**
   * Returns the transformers class this processor follows.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns {@code do_convert_rgb}. Informational: {@link Image} is always RGB.
   *
   * @return the flag
   */
  public boolean doConvertRgb() {
    return doConvertRgb;
  }

  /**
   * Returns {@code do_resize}.
   *
   * @return the flag
   */
  public boolean doResize() {
    return doResize;
  }

  /**
   * Returns {@code size}.
   *
   * @return the resize target
   */
  public Size size() {
    return size;
  }

  /**
   * Returns {@code resample}.
   *
   * @return the PIL filter
   */
  public Resample resample() {
    return resample;
  }

  /**
   * Returns {@code do_center_crop}; always false for SigLIP.
   *
   * @return the flag
   */
  public boolean doCenterCrop() {
    return kind != Kind.SIGLIP && doCenterCrop;
  }

  /**
   * Returns {@code crop_size} (unused for SigLIP).
   *
   * @return the crop, an exact height and width
   */
  public Size cropSize() {
    return cropSize;
  }

  /**
   * Returns {@code do_rescale}.
   *
   * @return the flag
   */
  public boolean doRescale() {
    return doRescale;
  }

  /**
   * Returns {@code rescale_factor}.
   *
   * @return the factor, 1/255 by default
   */
  public double rescaleFactor() {
    return rescaleFactor;
  }

  /**
   * Returns {@code do_normalize}.
   *
   * @return the flag
   */
  public boolean doNormalize() {
    return doNormalize;
  }

  /**
   * Returns {@code image_mean}.
   *
   * @return a new array of 3 values
   */
  public double[] imageMean() {
    return imageMean.clone();
  }

  /**
   * Returns {@code image_std}.
   *
   * @return a new array of 3 values
   */
  public double[] imageStd() {
    return imageStd.clone();
  }

  /**
   * Returns LLaVA's {@code do_pad}; always false for the other kinds.
   *
   * @return the flag
   */
  public boolean doPad() {
    return kind == Kind.LLAVA && doPad;
  }

  /**
   * Returns a builder holding this processor's settings.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = builder(kind);
    b.doConvertRgb = doConvertRgb;
    b.doResize = doResize;
    b.size = size;
    b.resample = resample;
    b.doCenterCrop = doCenterCrop;
    b.cropSize = cropSize;
    b.doRescale = doRescale;
    b.rescaleFactor = rescaleFactor;
    b.doNormalize = doNormalize;
    b.imageMean = imageMean.clone();
    b.imageStd = imageStd.clone();
    b.doPad = doPad;
    return b;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%s[resize=%s %s %s, crop=%s, rescale=%s, normalize=%s mean=%s std=%s%s]",
        kind.className,
        doResize,
        size.isShortestEdge()
            ? "shortest_edge=" + size.shortestEdge()
            : size.height() + "x" + size.width(),
        resample,
        doCenterCrop() ? cropSize.height() + "x" + cropSize.width() : "none",
        doRescale ? Double.toString(rescaleFactor) : "none",
        doNormalize,
        Arrays.toString(imageMean),
        Arrays.toString(imageStd),
        doPad() ? ", pad" : "");
  }

  // ---------------------------------------------------------------------------------------------
  // Builder

  /**
   * Returns a builder preset with the defaults of the transformers class, for tests and for
   * models that ship no {@code preprocessor_config.json}.
   *
   * @param kind the transformers class to follow
   * @return a new builder
   */
  public static Builder builder(Kind kind) {
    return new Builder(kind);
  }

  /**
   * Settings of an {@link ImageProcessor}, starting from its class's transformers defaults.
   * Setters are named after the {@code preprocessor_config.json} fields.
   */
  public static final class Builder {
    private final Kind kind;
    private boolean doConvertRgb;
    private boolean doResize = true;
    private Size size;
    private Resample resample = Resample.BICUBIC;
    private boolean doCenterCrop;
    private Size cropSize = Size.of(224, 224);
    private boolean doRescale = true;
    private double rescaleFactor = 1 / 255.0;
    private boolean doNormalize = true;
    private double[] imageMean;
    private double[] imageStd;
    private boolean doPad;

    private Builder(Kind kind) {
      if (kind == null) {
        throw new InvalidInputException("ImageProcessor.kind must not be null");
      }
      this.kind = kind;
      if (kind == Kind.SIGLIP) {
        doConvertRgb = false; // SiglipImageProcessor's default is None
        size = Size.of(224, 224);
        doCenterCrop = false;
        imageMean = Doubles.toArray(IMAGENET_STANDARD_MEAN);
        imageStd = Doubles.toArray(IMAGENET_STANDARD_MEAN);
      } else {
        doConvertRgb = true;
        size = Size.shortestEdge(224);
        doCenterCrop = true;
        imageMean = Doubles.toArray(OPENAI_CLIP_MEAN);
        imageStd = Doubles.toArray(OPENAI_CLIP_STD);
      }
    }

    /**
     * Sets {@code do_convert_rgb} (recorded only: {@link Image} is always RGB).
     *
     * @param v the flag
     * @return this builder
     */
    public Builder doConvertRgb(boolean v) {
      doConvertRgb = v;
      return this;
    }

    /**
     * Sets {@code do_resize}.
     *
     * @param v the flag
     * @return this builder
     */
    public Builder doResize(boolean v) {
      doResize = v;
      return this;
    }

    /**
     * Sets {@code size}.
     *
     * @param v the resize target; SigLIP needs an exact height and width
     * @return this builder
     */
    public Builder size(Size v) {
      size = v;
      return this;
    }

    /**
     * Sets {@code size} to {@code {"height": height, "width": width}}.
     *
     * @param height target height
     * @param width target width
     * @return this builder
     */
    public Builder size(int height, int width) {
      return size(Size.of(height, width));
    }

    /**
     * Sets {@code size} to {@code {"shortest_edge": n}}.
     *
     * @param n target length of the shorter side
     * @return this builder
     */
    public Builder shortestEdge(int n) {
      return size(Size.shortestEdge(n));
    }

    /**
     * Sets {@code resample}.
     *
     * @param v the PIL filter
     * @return this builder
     */
    public Builder resample(Resample v) {
      resample = v;
      return this;
    }

    /**
     * Sets {@code do_center_crop} (CLIP and LLaVA only).
     *
     * @param v the flag
     * @return this builder
     */
    public Builder doCenterCrop(boolean v) {
      doCenterCrop = v;
      return this;
    }

    /**
     * Sets {@code crop_size}.
     *
     * @param v the crop, an exact height and width
     * @return this builder
     */
    public Builder cropSize(Size v) {
      cropSize = v;
      return this;
    }

    /**
     * Sets {@code crop_size} to {@code {"height": height, "width": width}}.
     *
     * @param height crop height
     * @param width crop width
     * @return this builder
     */
    public Builder cropSize(int height, int width) {
      return cropSize(Size.of(height, width));
    }

    /**
     * Sets {@code do_rescale}.
     *
     * @param v the flag
     * @return this builder
     */
    public Builder doRescale(boolean v) {
      doRescale = v;
      return this;
    }

    /**
     * Sets {@code rescale_factor}.
     *
     * @param v the factor, positive
     * @return this builder
     */
    public Builder rescaleFactor(double v) {
      rescaleFactor = v;
      return this;
    }

    /**
     * Sets {@code do_normalize}.
     *
     * @param v the flag
     * @return this builder
     */
    public Builder doNormalize(boolean v) {
      doNormalize = v;
      return this;
    }

    /**
     * Sets {@code image_mean}.
     *
     * @param v one value for every channel, or three
     * @return this builder
     */
    public Builder imageMean(double... v) {
      imageMean = channels("imageMean", v);
      return this;
    }

    /**
     * Sets {@code image_std}.
     *
     * @param v one value for every channel, or three
     * @return this builder
     */
    public Builder imageStd(double... v) {
      imageStd = channels("imageStd", v);
      return this;
    }

    /**
     * Sets LLaVA's {@code do_pad}: pad to a square of the mean colour before resizing.
     *
     * @param v the flag
     * @return this builder
     */
    public Builder doPad(boolean v) {
      doPad = v;
      return this;
    }

    private static double[] channels(String field, double[] v) {
      if (v == null || (v.length != 1 && v.length != 3)) {
        throw new InvalidInputException(
            "ImageProcessor." + field + " needs 1 or 3 values, got "
                + (v == null ? "null" : Arrays.toString(v)));
      }
      return v.length == 1 ? new double[] {v[0], v[0], v[0]} : v.clone();
    }

    /**
     * Validates the settings and builds the processor.
     *
     * @return the processor
     * @throws InvalidInputException naming the field that is invalid for this kind
     */
    public ImageProcessor build() {
      if (size == null || cropSize == null || resample == null) {
        throw new InvalidInputException("ImageProcessor.size, cropSize and resample must be set");
      }
      if (kind == Kind.SIGLIP && size.isShortestEdge()) {
        throw new InvalidInputException(
            "ImageProcessor.size must be a height and width for " + kind.className
                + ", got shortest_edge=" + size.shortestEdge());
      }
      if (kind == Kind.SIGLIP && doCenterCrop) {
        throw new InvalidInputException(
            "ImageProcessor.doCenterCrop: " + kind.className + " never crops");
      }
      if (cropSize.isShortestEdge()) {
        throw new InvalidInputException("ImageProcessor.cropSize must be a height and width");
      }
      if (doPad && kind != Kind.LLAVA) {
        throw new InvalidInputException(
            "ImageProcessor.doPad is LlavaImageProcessor's; " + kind.className + " has no padding");
      }
      if (!(rescaleFactor > 0) || !Double.isFinite(rescaleFactor)) {
        throw new InvalidInputException(
            "ImageProcessor.rescaleFactor must be positive, got " + rescaleFactor);
      }
      for (int c = 0; c < 3; c++) {
        if (!Double.isFinite(imageMean[c])) {
          throw new InvalidInputException(
              "ImageProcessor.imageMean must be finite, got " + Arrays.toString(imageMean));
        }
        if (!Double.isFinite(imageStd[c]) || imageStd[c] == 0) {
          throw new InvalidInputException(
              "ImageProcessor.imageStd must be finite and non-zero, got "
                  + Arrays.toString(imageStd));
        }
        if (doPad && kind == Kind.LLAVA) {
          int bg = (int) (imageMean[c] * 255);
          if (bg < 0 || bg > 255) {
            throw new InvalidInputException(
                "ImageProcessor.doPad paints int(imageMean * 255), which must be 0..255, got "
                    + bg + " for channel " + c);
          }
        }
      }
      return new ImageProcessor(this);
    }
  }
}
