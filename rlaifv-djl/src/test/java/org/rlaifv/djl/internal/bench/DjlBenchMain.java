package org.rlaifv.djl.internal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs {@link DjlBench} from the test classpath and writes bench.json (not a test).
 * Arguments: output file, then "quick" for a short run.
 */
public final class DjlBenchMain {
  private DjlBenchMain() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench.json");
    boolean quick = args.length > 1 && args[1].equals("quick");
    Map<String, Object> r = DjlBench.run(quick);
    byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(r);
    Files.write(out, json);
    System.out.println(new String(json, java.nio.charset.StandardCharsets.UTF_8));
  }
}
