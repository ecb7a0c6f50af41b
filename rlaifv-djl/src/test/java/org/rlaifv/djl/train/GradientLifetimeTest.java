package org.rlaifv.djl.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.DpoLossType;
import org.rlaifv.Image;
import org.rlaifv.djl.model.LoadedVlm;
import org.rlaifv.djl.model.TeacherForcing;
import org.rlaifv.djl.model.TeacherForcingBatch;

/**
 * Gradients must not depend on when the garbage collector runs: every tensor the autograd graph
 * saves must stay alive until the backward pass, however much Java memory is freed and reused
 * between forward and backward.
 */
class GradientLifetimeTest {
  @TempDir Path dir;

  @BeforeAll
  static void oneThread() {
    TrainFixtures.oneThread();
  }

  /**
   * Collects unreachable Java objects (freeing direct buffers nobody references any more) and
   * refills the freed native memory with NaN, as a busy training run does between forward and
   * backward. Returns the filler so it stays allocated until the caller drops it.
   */
  private static List<ByteBuffer> collectAndReuseFreedMemory() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(30); // the cleaner thread frees the buffers' native memory
    }
    List<ByteBuffer> filler = new ArrayList<>();
    for (int size : new int[] {4, 8, 16}) {
      for (int i = 0; i < 2000; i++) {
        ByteBuffer b = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
        for (int j = 0; j < size; j += 4) {
          b.putFloat(j, Float.NaN);
        }
        filler.add(b);
      }
    }
    return filler;
  }

  /** The SFT loss's gradients, with or without a collection between forward and backward. */
  private static Map<String, float[]> sftGradients(LoadedVlm vlm, boolean collect)
      throws InterruptedException {
    List<Image> images = new ArrayList<>();
    List<String> prompts = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      images.add(TrainFixtures.solid(c));
      prompts.add(TrainFixtures.PROMPT);
      targets.add(c % 2 == 0 ? "there is a " + TrainFixtures.COLOURS[c] + " circle ." : "yes");
    }
    Map<String, NDArray> params = vlm.model().parameters();
    List<ByteBuffer> filler = List.of();
    try (NDManager sm = vlm.model().manager().newSubManager();
        GradientCollector gc = sm.getEngine().newGradientCollector()) {
      TeacherForcingBatch b = TeacherForcing.batch(vlm, sm, images, prompts, targets);
      NDArray loss =
          ResponseLogProbs.tokenLogProbs(vlm, b)
              .sum()
              .neg()
              .div(b.targetMask().toType(DataType.FLOAT32, false).sum());
      if (collect) {
        filler = collectAndReuseFreedMemory();
      }
      gc.backward(loss);
    }
    Reference.reachabilityFence(filler);
    Map<String, float[]> grads = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      try (NDArray g = e.getValue().getGradient()) {
        grads.put(e.getKey(), g.toFloatArray());
      }
    }
    Gradients.zero(params.values());
    return grads;
  }

  @Test
  void modelGradientsDoNotChangeWhenMemoryIsCollectedBeforeBackward() throws Exception {
    try (LoadedVlm vlm = TrainFixtures.create(dir, 5)) {
      for (NDArray p : vlm.model().parameters().values()) {
        p.setRequiresGradient(true);
      }
      Map<String, float[]> plain = sftGradients(vlm, false);
      Map<String, float[]> collected = sftGradients(vlm, true);
      assertEquals(plain.keySet(), collected.keySet());
      for (String name : plain.keySet()) {
        assertArrayEquals(plain.get(name), collected.get(name), 1e-5f, name);
      }
    }
  }

  @Test
  void dpoLossGradientsDoNotChangeWhenMemoryIsCollectedBeforeBackward() throws Exception {
    for (DpoLossType type : DpoLossType.values()) {
      float[] plain = dpoGradient(type, false);
      float[] collected = dpoGradient(type, true);
      assertArrayEquals(plain, collected, 1e-6f, type.name());
    }
  }

  private static float[] dpoGradient(DpoLossType type, boolean collect) throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray chosen = m.create(new float[] {-3f, -5f, -2f});
      NDArray rejected = m.create(new float[] {-4f, -4f, -6f});
      chosen.setRequiresGradient(true);
      List<ByteBuffer> filler = List.of();
      try (NDManager sm = m.newSubManager();
          GradientCollector gc = sm.getEngine().newGradientCollector()) {
        NDArray ref = sm.create(new float[] {-3.5f, -4.5f, -3f});
        NDArray loss =
            DjlDpoLoss.compute(chosen, rejected, ref, ref, type, 0.1, 0.1).losses().mean();
        if (collect) {
          filler = collectAndReuseFreedMemory();
        }
        gc.backward(loss);
      }
      Reference.reachabilityFence(filler);
      try (NDArray g = chosen.getGradient()) {
        float[] out = g.toFloatArray();
        for (float v : out) {
          assertTrue(Float.isFinite(v), type + " gradient " + v);
        }
        return out;
      }
    }
  }
}
