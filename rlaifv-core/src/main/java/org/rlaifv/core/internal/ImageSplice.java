package org.rlaifv.core.internal;

import java.util.Arrays;
import java.util.List;
import org.rlaifv.InvalidInputException;

/**
 * Where each row's image features go in a right-padded batch: every backend replaces the one image
 * placeholder of a token sequence by the image's {@code imageTokens} feature positions the same
 * way, so the layout is computed here once.
 *
 * @param textIds {@code [rows * width]} token ids with the placeholder removed and room left for
 *     the features (filled with the pad id there and after each row's end)
 * @param imagePositions each row's first feature position (the placeholder's index)
 * @param lengths each row's length once the placeholder is expanded
 * @param width the longest row, the batch's width
 */
public record ImageSplice(long[] textIds, int[] imagePositions, int[] lengths, int width) {

  /**
   * Lays out token sequences that each hold one image placeholder.
   *
   * @param ids the sequences
   * @param imageId the placeholder's id
   * @param imageTokens how many positions one image's features take
   * @param padId the id written where features or padding go
   * @return the layout
   * @throws InvalidInputException naming the row when a sequence holds no placeholder
   */
  public static ImageSplice of(List<long[]> ids, long imageId, int imageTokens, long padId) {
    int b = ids.size();
    int[] lengths = new int[b];
    int[] imagePos = new int[b];
    int width = 0;
    for (int i = 0; i < b; i++) {
      imagePos[i] = indexOf(ids.get(i), imageId);
      if (imagePos[i] < 0) {
        throw new InvalidInputException("token sequence " + i + " holds no image placeholder");
      }
      lengths[i] = ids.get(i).length - 1 + imageTokens;
      width = Math.max(width, lengths[i]);
    }
    long[] text = new long[b * width];
    Arrays.fill(text, padId);
    for (int i = 0; i < b; i++) {
      long[] row = ids.get(i);
      int p = imagePos[i];
      System.arraycopy(row, 0, text, i * width, p);
      System.arraycopy(row, p + 1, text, i * width + p + imageTokens, row.length - p - 1);
    }
    return new ImageSplice(text, imagePos, lengths, width);
  }

  /**
   * Returns the index of the first occurrence of an id.
   *
   * @param ids the sequence
   * @param id the id
   * @return its index, or -1
   */
  public static int indexOf(long[] ids, long id) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns whether every row's features start at the same position.
   *
   * @return true when the image positions are all equal
   */
  public boolean samePosition() {
    for (int p : imagePositions) {
      if (p != imagePositions[0]) {
        return false;
      }
    }
    return true;
  }
}
