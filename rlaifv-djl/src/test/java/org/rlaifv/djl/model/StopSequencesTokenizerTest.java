package org.rlaifv.djl.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rlaifv.core.internal.StopSequences;
import org.rlaifv.djl.TinyVlms;

/**
 * {@link StopSequences} on the tokenizers the samplers decode with (sentencepiece with byte
 * fallback: LLaVA-1.5's Llama and Mistral; byte-level BPE: Qwen2.5; the golden models' and the tiny
 * test models' tokenizers) stops every row where decoding the whole row after each token, the
 * samplers' former check, stops it, with the same text. Rows mix encoded text (accents, CJK, emoji,
 * new lines), random ids (byte tokens and special tokens included) and runs of single bytes.
 */
class StopSequencesTokenizerTest {
  private static final String TEXT =
      "USER: <image>\nIs there a red circle? ASSISTANT: Yes, there is a red circle on the top left."
          + " 漢字とかな, émoji 😀👍🏽 — “quotes” €100\n\n  indented\tand Ünïcödé.";

  @TempDir static Path tmp;

  private static Path tokenizerFile(String name) throws IOException {
    if (name.equals("tiny")) {
      Path file = tmp.resolve("tiny-tokenizer.json");
      TokenizerFiles.writeWordLevel(file, TinyVlms.WORDS);
      return file;
    }
    if (name.startsWith("hf/")) {
      return Path.of(resourceUrl(name + "/tokenizer.json"));
    }
    Path file = Files.createDirectories(tmp.resolve(name)).resolve("tokenizer.json");
    if (!Files.exists(file)) {
      try (InputStream in = new GZIPInputStream(StopSequencesTokenizerTest.class.getClassLoader()
          .getResourceAsStream("hf-tokenizers/" + name + "/tokenizer.json.gz"))) {
        Files.copy(in, file);
      }
    }
    return file;
  }

  private static String resourceUrl(String path) {
    try {
      return Path.of(StopSequencesTokenizerTest.class.getClassLoader().getResource(path).toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  record Outcome(int tokens, Optional<String> text) {}

  /** The samplers' former check: decode the whole row after every token. */
  private static Outcome fullDecodeCheck(long[] row, List<String> stops, Function<long[], String> decode) {
    for (int t = 1; t <= row.length; t++) {
      String text = decode.apply(Arrays.copyOf(row, t));
      for (String stop : stops) {
        int at = text.indexOf(stop);
        if (at >= 0) {
          return new Outcome(t, Optional.of(text.substring(0, at)));
        }
      }
    }
    return new Outcome(row.length, Optional.empty());
  }

  private static Outcome incrementalCheck(long[] row, List<String> stops, Function<long[], String> decode) {
    StopSequences.Tracker tracker = StopSequences.of(stops, decode).newTracker();
    for (int t = 1; t <= row.length; t++) {
      Optional<String> cut = tracker.accept(row, t);
      if (cut.isPresent()) {
        return new Outcome(t, cut);
      }
    }
    return new Outcome(row.length, Optional.empty());
  }

  private static long[] row(Random r, long[] encoded, int bound) {
    int n = 1 + r.nextInt(70);
    long[] row = new long[n];
    int from = r.nextInt(encoded.length);
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(10);
      if (k < 6) {
        row[i] = encoded[(from + i) % encoded.length];
      } else if (k < 8) {
        row[i] = r.nextInt(bound);
      } else {
        // Low ids: the special tokens and, in sentencepiece vocabularies, the byte tokens.
        row[i] = r.nextInt(Math.min(bound, 300));
      }
    }
    return row;
  }

  private static List<String> stopsFor(Random r, String text) {
    List<String> stops = new ArrayList<>();
    int k = 1 + r.nextInt(3);
    for (int i = 0; i < k; i++) {
      if (text.length() >= 2 && r.nextInt(4) != 0) {
        int a = r.nextInt(text.length() - 1);
        stops.add(text.substring(a, a + 1 + r.nextInt(Math.min(10, text.length() - a))));
      } else {
        stops.add(List.of(".", "\n", "USER:", "red circle", "😀", "\uFFFD", "</s>").get(r.nextInt(7)));
      }
    }
    return stops;
  }

  @ParameterizedTest
  @ValueSource(strings = {"llava-1.5", "mistral", "qwen2.5", "hf/llava-clip-llama", "hf/llava-siglip-qwen2", "tiny"})
  void stopsWhereTheFullDecodeStops(String name) throws IOException {
    Path file = tokenizerFile(name);
    try (HfTokenizer tok = HfTokenizer.load(file)) {
      Function<long[], String> decode = ids -> tok.decode(ids, true);
      String text = name.equals("tiny") ? String.join(" ", TinyVlms.WORDS) : TEXT;
      long[] encoded = tok.encode(text, false);
      int bound = (int) Arrays.stream(encoded).max().orElseThrow() + 1;
      Random r = new Random(name.hashCode());
      int stopped = 0;
      int late = 0;
      for (int i = 0; i < 120; i++) {
        long[] row = row(r, encoded, bound);
        List<String> stops = stopsFor(r, decode.apply(row));
        Outcome want = fullDecodeCheck(row, stops, decode);
        assertEquals(want, incrementalCheck(row, stops, decode),
            name + ": row " + Arrays.toString(row) + " stops " + stops);
        if (want.text().isPresent()) {
          stopped++;
          late += want.tokens() > 16 ? 1 : 0;
        }
      }
      // The comparison covers stops, and stops found past the window's first fill.
      assertTrue(stopped >= 40 && late >= 8, name + ": " + stopped + " stopped, " + late + " late");
    }
  }
}
