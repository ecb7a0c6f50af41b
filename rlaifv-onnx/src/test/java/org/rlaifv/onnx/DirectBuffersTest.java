package org.rlaifv.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.spi.BackendOptions;

/** The buffer pool behind cache copies, and copies made from reused buffers. */
class DirectBuffersTest {
  @TempDir Path tmp;

  @Test
  void reusesReturnedBuffersOfAFittingSize() {
    DirectBuffers pool = new DirectBuffers(1 << 20);
    ByteBuffer a = pool.take(1000);
    assertTrue(a.isDirect());
    assertEquals(ByteOrder.nativeOrder(), a.order());
    assertEquals(0, a.position());
    assertEquals(1000, a.limit());
    pool.give(a);
    assertEquals(1000, pool.pooledBytes());
    ByteBuffer b = pool.take(600);
    assertSame(a, b, "a buffer up to twice the size asked for is reused");
    assertEquals(600, b.limit());
    assertEquals(0, pool.pooledBytes());
    pool.give(b);
    assertNotSame(a, pool.take(400), "a buffer more than twice the size stays in the pool");
    assertNotSame(a, pool.take(2000), "a smaller buffer is never handed out");
  }

  @Test
  void buffersWithEqualContentsAreStillDistinct() {
    // ByteBuffer.equals compares contents: two zeroed buffers are "equal", yet only the one
    // handed out may leave the pool.
    DirectBuffers pool = new DirectBuffers(1 << 20);
    ByteBuffer small = ByteBuffer.allocateDirect(1000);
    ByteBuffer big = ByteBuffer.allocateDirect(4000);
    big.limit(1000);
    pool.give(small);
    pool.give(big);
    ByteBuffer first = pool.take(1000);
    assertSame(small, first, "the big one is over twice the size asked for");
    ByteBuffer second = pool.take(1000);
    assertNotSame(first, second, "a buffer in use is never handed out again");
  }

  @Test
  void keepsAtMostItsBound() {
    DirectBuffers pool = new DirectBuffers(1500);
    pool.give(ByteBuffer.allocateDirect(1000));
    pool.give(ByteBuffer.allocateDirect(1000));
    assertEquals(1000, pool.pooledBytes());
  }

  @Test
  void cachesCopiedIntoReusedBuffersHoldTheirOwnRows() throws Exception {
    Path onnx = TinyModels.exported(TinyModels.djlModel(tmp, 11, 32, 2));
    try (OrtModel model = OrtModel.open(onnx, BackendOptions.defaults().withThreads(1))) {
      float[][] expected = new float[2][];
      for (int round = 0; round < 2; round++) {
        long[] ids = {3 + round, 4, 5};
        float[] embeds = model.embed(ids, 1, 3);
        try (OrtKvCache empty = model.emptyCache(1);
            DecoderOutput prefix =
                model.decode(embeds, 1, 3, new long[] {1, 1, 1}, new long[] {0, 1, 2}, empty)) {
          expected[round] = prefix.cache().key(1).getFloatBuffer().array();
          // The first round's copy goes back to the pool and is reused by the second.
          try (OrtKvCache rows = prefix.cache().repeatRows(OrtEnvironment.getEnvironment(), 3)) {
            float[] all = rows.key(1).getFloatBuffer().array();
            int row = expected[round].length;
            for (int r = 0; r < 3; r++) {
              float[] one = new float[row];
              System.arraycopy(all, r * row, one, 0, row);
              assertArrayEquals(expected[round], one, "row " + r + " of round " + round);
            }
          }
        }
      }
      assertTrue(expected[0][0] != expected[1][0], "the two prefixes differ");
    }
  }
}
