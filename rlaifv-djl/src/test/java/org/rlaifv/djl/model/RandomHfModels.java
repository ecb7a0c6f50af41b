package org.rlaifv.djl.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes random LLaVA directories in the newer hub key layout, stored BF16 and sharded, for load
 * tests: values are drawn by a fast xorshift generator (small, finite), no tokenizer files.
 */
final class RandomHfModels {
  private RandomHfModels() {}

  /** Qwen2-0.5B's text sizes with a small SigLIP tower: about 0.5B parameters. */
  static VlmConfig qwen05b() {
    VlmConfig.VisionConfig v =
        new VlmConfig.VisionConfig(32, 16, 64, 1, 4, 128, 1e-6,
            VlmConfig.VisionConfig.SIGLIP, "gelu_pytorch_tanh", false);
    return new VlmConfig(896, 24, 14, 2, 4864, 1e-6, 1e6, 151936, 32768, 0.02, v, "gelu", -1,
        "qwen2", 64, true, false, false, true, 0, "full", true, 151646, "silu");
  }

  /** Writes config.json and BF16 shards of about {@code shardBytes} with an index. */
  static void write(Path dir, VlmConfig config, long shardBytes) throws IOException {
    write(dir, config, shardBytes, true);
  }

  /**
   * Writes config.json and BF16 shards with an index; without data, only the headers (for tests
   * that must fail before any tensor is read).
   */
  static void write(Path dir, VlmConfig config, long shardBytes, boolean withData)
      throws IOException {
    Files.createDirectories(dir);
    config.write(dir.resolve(VlmConfig.FILE_NAME));
    Map<String, long[]> shapes = VlmModel.parameterShapes(config);
    List<Map<String, long[]>> shards = new ArrayList<>();
    Map<String, long[]> cur = new LinkedHashMap<>();
    long size = 0;
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      long n = count(e.getValue()) * 2;
      if (size > 0 && size + n > shardBytes) {
        shards.add(cur);
        cur = new LinkedHashMap<>();
        size = 0;
      }
      cur.put(e.getKey(), e.getValue());
      size += n;
    }
    shards.add(cur);
    ObjectMapper json = new ObjectMapper();
    ObjectNode index = json.createObjectNode();
    long total = 0;
    ObjectNode map = index.putObject("weight_map");
    long seed = 0x9E3779B97F4A7C15L;
    for (int s = 0; s < shards.size(); s++) {
      String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards.size());
      ObjectNode header = json.createObjectNode();
      header.putObject("__metadata__").put("format", "pt");
      long off = 0;
      for (Map.Entry<String, long[]> e : shards.get(s).entrySet()) {
        String key = newLayout(e.getKey());
        ObjectNode t = header.putObject(key);
        t.put("dtype", "BF16");
        var sh = t.putArray("shape");
        for (long d : e.getValue()) {
          sh.add(d);
        }
        long n = count(e.getValue()) * 2;
        t.putArray("data_offsets").add(off).add(off + n);
        off += n;
        map.put(key, file);
      }
      total += off;
      byte[] h = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
      int pad = (8 - h.length % 8) % 8;
      try (FileChannel ch = FileChannel.open(dir.resolve(file), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        len.putLong(0, h.length + pad);
        ch.write(len);
        ByteBuffer hb = ByteBuffer.allocate(h.length + pad);
        hb.put(h);
        while (hb.hasRemaining()) {
          hb.put((byte) ' ');
        }
        hb.flip();
        ch.write(hb);
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
        long left = withData ? off / 2 : 0;
        while (left > 0) {
          chunk.clear();
          int m = (int) Math.min(left, chunk.capacity() / 2);
          for (int i = 0; i < m; i++) {
            seed ^= seed << 13;
            seed ^= seed >>> 7;
            seed ^= seed << 17;
            // a bfloat16 in (-0.03, 0.03): sign, exponent 2^-6 or below, random mantissa
            short bits = (short) ((seed & 0x8000) | (0x3C00 - ((seed >>> 20) & 0x0780)) | (seed & 0x7f));
            chunk.putShort(bits);
          }
          chunk.flip();
          while (chunk.hasRemaining()) {
            ch.write(chunk);
          }
          left -= m;
        }
      }
    }
    index.putObject("metadata").put("total_size", total);
    Files.writeString(dir.resolve(HfWeights.INDEX), json.writeValueAsString(index));
  }

  private static String newLayout(String canonical) {
    if (canonical.startsWith("language_model.model.")) {
      return "model.language_model." + canonical.substring("language_model.model.".length());
    }
    if (canonical.startsWith("language_model.lm_head")) {
      return canonical.substring("language_model.".length());
    }
    return "model." + canonical;
  }

  private static long count(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }
}
