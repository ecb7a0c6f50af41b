package org.rlaifv.onnx;

import java.nio.file.Path;
import java.util.List;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.ModelFormatException;
import org.rlaifv.core.internal.ImageSplice;
import org.rlaifv.core.internal.RightPadded;
import org.rlaifv.spi.BackendOptions;

/**
 * An exported model with its tokenizer: builds the decoder inputs exactly as the DJL backend does
 * (chat template rendered, tokenized as one text with BOS unless the template wrote it, the image
 * placeholder replaced by the image's features, right padding).
 *
 * <p>Owns the model and tokenizer; closed by its creator.
 */
final class OrtVlm implements AutoCloseable {
  final OrtModel model;
  final OrtTokenizer tokenizer;

  private OrtVlm(OrtModel model, OrtTokenizer tokenizer) {
    this.model = model;
    this.tokenizer = tokenizer;
  }

  static OrtVlm open(Path dir, BackendOptions options, boolean sharedPrefix) {
    OrtModel m = OrtModel.open(dir, options, sharedPrefix);
    try {
      return new OrtVlm(m, OrtTokenizer.load(dir, m.imageSize(), m.imageTokenIndex()));
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** Token ids of a rendered text (BOS added unless the template wrote it), one image placeholder. */
  long[] textIds(String rendered) {
    long[] ids = tokenizer.encodePrompt(rendered);
    int images = 0;
    for (long id : ids) {
      if (id == tokenizer.imageId) {
        images++;
      }
    }
    if (images != 1) {
      throw new InvalidInputException(
          "prompt must hold exactly one image placeholder (token id "
              + tokenizer.imageId
              + ") after templating, found "
              + images
              + ": "
              + rendered);
    }
    return ids;
  }

  long[] promptIds(String promptText) {
    return textIds(tokenizer.render(promptText));
  }

  int imageIndex(long[] ids) {
    return ImageSplice.indexOf(ids, tokenizer.imageId);
  }

  /** Image features {@code [N * hidden]} of one image. */
  float[] imageFeatures(Image image) {
    int s = model.imageSize();
    if (tokenizer.texts.pixelHeight() != s || tokenizer.texts.pixelWidth() != s) {
      throw new ModelFormatException(
          "the image processor of " + model.directory() + " makes " + tokenizer.texts.pixelWidth()
              + "x" + tokenizer.texts.pixelHeight() + " pixel values but the vision graph takes "
              + s + "x" + s);
    }
    return model.imageFeatures(tokenizer.texts.pixels(image));
  }

  /** Right-padded decoder inputs for sequences with one image placeholder each. */
  Inputs imageInputs(float[] features, List<long[]> ids) {
    int b = ids.size();
    int n = model.imageTokens();
    int h = model.hiddenSize();
    ImageSplice splice = ImageSplice.of(ids, tokenizer.imageId, n, tokenizer.padId);
    int maxLen = splice.width();
    int[] lengths = splice.lengths();
    int[] imagePos = splice.imagePositions();
    long[] text = splice.textIds();
    float[] embeds = model.embed(text, b, maxLen);
    for (int i = 0; i < b; i++) {
      System.arraycopy(features, 0, embeds, (i * maxLen + imagePos[i]) * h, n * h);
    }
    return Inputs.rightPadded(embeds, b, maxLen, lengths);
  }

  @Override
  public void close() {
    try {
      model.close();
    } finally {
      tokenizer.close();
    }
  }

  /** Decoder inputs of a batch (row-major arrays) and each row's real length. */
  static final class Inputs {
    final float[] embeds;
    final long[] mask;
    final long[] positions;
    final int batch;
    final int seq;
    final int[] lengths;

    Inputs(float[] embeds, long[] mask, long[] positions, int batch, int seq, int[] lengths) {
      this.embeds = embeds;
      this.mask = mask;
      this.positions = positions;
      this.batch = batch;
      this.seq = seq;
      this.lengths = lengths;
    }

    /** Mask and positions for right padding, as the DJL backend builds them. */
    static Inputs rightPadded(float[] embeds, int b, int t, int[] lengths) {
      RightPadded padded = RightPadded.lengths(lengths, t);
      return new Inputs(embeds, padded.mask(), padded.positions(), b, t, lengths);
    }
  }
}
