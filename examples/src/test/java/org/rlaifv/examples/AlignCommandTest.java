package org.rlaifv.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlaifv.core.io.PromptFiles;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.shapes.Split;
import org.rlaifv.examples.shapes.ShapesModels;

/**
 * {@code align} end to end on a prompt file written from ShapesWorld scenes, with the shipped
 * policy and labeler: one small iteration samples, scores, pairs and trains; running the same
 * command again resumes instead of redoing; other options in the same run directory are refused.
 */
class AlignCommandTest {

  @Test
  @Tag("e2e")
  void alignsOnAUserPromptFileAndResumes(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    Path prompts = data.resolve("prompts.jsonl");
    PromptFiles.write(prompts, ShapesWorld.defaults().prompts(Split.TRAIN, 4, 21L));
    Path models = ShapesModels.modelsDirectory(null);
    Path run = tmp.resolve("run");
    List<String> cmd = new ArrayList<>(List.of("align",
        "--policy", models.resolve(ShapesModels.POLICY).toString(),
        "--labeler", models.resolve(ShapesModels.LABELER).toString(),
        "--prompts", prompts.toString(), "--out", run.toString(),
        "--iterations", "1", "--n", "4", "--temperature", "1.0", "--max-new-tokens", "64",
        "--dpo-batch-size", "4", "--nll-weight", "1.0", "--seed", "3"));

    String first = CliRun.succeeds(cmd.toArray(String[]::new));
    assertTrue(first.contains("align: 4 prompts from " + prompts), first);
    assertTrue(first.contains("new run directory"), first);
    assertTrue(first.contains("iteration 1: 16 responses to 4 prompts"), first);
    assertTrue(first.contains("align summary"), first);

    Path iter = run.resolve("iter-1");
    List<String> pairs = Files.readAllLines(iter.resolve("pairs.jsonl"));
    assertTrue(pairs.size() > 0, "the labeler's scores gave pairs");
    JsonNode pair = new ObjectMapper().readTree(pairs.get(0));
    assertTrue(pair.get("chosen").isObject() && pair.get("rejected").isObject(), pairs.get(0));
    assertEquals(4, Files.readAllLines(iter.resolve("responses.jsonl")).size());
    assertTrue(Files.isRegularFile(iter.resolve("selected.json")));
    assertTrue(first.contains("final policy: " + run.toAbsolutePath()), first);
    JsonNode options = new ObjectMapper().readTree(run.resolve(AlignCommand.OPTIONS_FILE)
        .toFile());
    assertEquals("djl", options.get("--backend").asText());

    byte[] pairBytes = Files.readAllBytes(iter.resolve("pairs.jsonl"));
    String again = CliRun.succeeds(cmd.toArray(String[]::new));
    assertTrue(again.contains("resuming the run directory"), again);
    assertTrue(again.contains("every iteration asked for (1) was finished by an earlier run"), again);
    assertTrue(again.contains("(earlier run)"), again);
    assertTrue(again.contains(pairs.size() + " pairs in"), again);
    assertEquals(new String(pairBytes), Files.readString(iter.resolve("pairs.jsonl")),
        "resuming does not redo the iteration");

    List<String> otherPairs = new ArrayList<>(cmd);
    otherPairs.addAll(List.of("--max-pairs", "1"));
    CliRun.assertOneLineError(CliRun.run(otherPairs.toArray(String[]::new)), Main.FAILED,
        "was made with other options (--max-pairs 2, now 1)");
    List<String> otherBeta = new ArrayList<>(cmd);
    otherBeta.addAll(List.of("--beta", "0.3"));
    CliRun.assertOneLineError(CliRun.run(otherBeta.toArray(String[]::new)), Main.FAILED,
        "differs in: dpoConfig");
  }

  @Test
  void aMalformedPromptFileIsAFailureNamingTheLine(@TempDir Path tmp) throws Exception {
    Path prompts = tmp.resolve("prompts.jsonl");
    Files.writeString(prompts, "{\"id\":\"a\",\"image\":\"../outside.png\",\"text\":\"hi\"}\n");
    Path models = ShapesModels.modelsDirectory(null);
    CliRun.assertOneLineError(CliRun.run("align",
        "--policy", models.resolve(ShapesModels.POLICY).toString(),
        "--labeler", models.resolve(ShapesModels.LABELER).toString(),
        "--prompts", prompts.toString(), "--out", tmp.resolve("run").toString()),
        Main.FAILED, "line 1: image path '../outside.png' leaves the dataset directory");
    assertTrue(!Files.exists(tmp.resolve("run")), "nothing is written for a bad prompt file");
  }
}
