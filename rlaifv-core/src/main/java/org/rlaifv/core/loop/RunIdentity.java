package org.rlaifv.core.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.rlaifv.Checkpoint;
import org.rlaifv.CheckpointSelector;
import org.rlaifv.DpoConfig;
import org.rlaifv.DpoTrainer;
import org.rlaifv.InvalidInputException;
import org.rlaifv.PairSelector;
import org.rlaifv.Prompt;
import org.rlaifv.Provenance;
import org.rlaifv.ResponseScorer;
import org.rlaifv.SamplingParams;
import org.rlaifv.core.io.Json;
import org.rlaifv.core.io.RunDirectory;

/**
 * Who a run is: the configuration snapshot the manifest records (sampling parameters, DPO
 * configuration, loop seed, initial policy, the roles' {@link Provenance} and a digest of the
 * prompts) and the run id, by default derived from the snapshot so that the same setup gets the
 * same id.
 *
 * <p>Resuming is refused when the settings differ: {@link #open} refuses a run directory whose
 * manifest holds another run id or snapshot (naming the differing fields, see {@link
 * RunDirectory#open}), and {@link #checkScorer} refuses to resume a score stage with a scorer whose
 * provenance differs from the one recorded in {@code iter-K/scorer.json}. The stage runner and the
 * listeners are not part of the identity: they do not change the run's files.
 */
final class RunIdentity {
  /** Manifest key and file of the record of which scorer scored an iteration. */
  static final String SCORER_STAGE = "scorer";

  static final String SCORER_FILE = "scorer.json";

  private final List<Prompt> prompts;
  private final ObjectNode snapshot;
  private final String runId;

  private RunIdentity(List<Prompt> prompts, ObjectNode snapshot, String runId) {
    this.prompts = prompts;
    this.snapshot = snapshot;
    this.runId = runId;
  }

  /**
   * Makes the identity of a run of the loop's settings over the prompts.
   *
   * @param ps the prompts, checked by {@link #validatePrompts}
   * @param roles the roles' provenance, from {@link #roles}
   * @param runId the run id the caller chose, or null for the one derived from the snapshot
   */
  static RunIdentity of(List<Prompt> ps, SamplingParams samplingParams, DpoConfig dpoConfig,
      long seed, Checkpoint initialPolicy, Map<String, Provenance> roles, String runId) {
    ObjectNode node = Json.objectNode();
    node.set("samplingParams", Json.toTree(samplingParams));
    ObjectNode dpo = (ObjectNode) Json.toTree(dpoConfig);
    if (dpoConfig.lora() == null) {
      // Full-parameter training keeps the identity it had before adapters existed, so run
      // directories made then still resume.
      dpo.remove("lora");
    }
    node.set("dpoConfig", dpo);
    node.put("seed", seed);
    node.put("initialPolicy", initialPolicy.id());
    node.set("roles", Json.toTree(roles));
    ObjectNode p = node.putObject("prompts");
    p.put("count", ps.size());
    p.put("sha256", promptDigest(ps));
    return new RunIdentity(ps, node, runId != null ? runId : defaultRunId(node));
  }

  /**
   * The roles' provenance, part of the run identity: the scorer (or, for a factory, the factory
   * marked per-policy), the pair selector, the checkpoint selector and the trainer.
   */
  static Map<String, Provenance> roles(ResponseScorer fixedScorer,
      Function<Checkpoint, ? extends ResponseScorer> scorerFactory, PairSelector pairSelector,
      CheckpointSelector checkpointSelector, DpoTrainer trainer) {
    Map<String, Provenance> r = new TreeMap<>();
    r.put("scorer", fixedScorer != null
        ? fixedScorer.provenance()
        : Provenance.of(scorerFactory).with("perPolicy", true));
    r.put("pairSelector", pairSelector.provenance());
    r.put("checkpointSelector", checkpointSelector.provenance());
    r.put("trainer", trainer.provenance());
    return r;
  }

  /** The run's prompts, validated and copied. */
  List<Prompt> prompts() {
    return prompts;
  }

  String runId() {
    return runId;
  }

  /** The roles' provenance as JSON, as handed to the trainer. */
  String rolesJson() {
    return Json.toJson(snapshot.get("roles"));
  }

  /**
   * Opens (or creates) the run directory of this identity, refusing one that belongs to another
   * run id or configuration.
   *
   * @param facts provenance recorded when the manifest is created, besides the time, Java and SDK
   *     versions and the initial policy's path
   */
  RunDirectory open(Path root, Map<String, String> facts, Checkpoint initialPolicy) {
    Map<String, String> provenance = new TreeMap<>(facts);
    provenance.put("createdAt", Instant.now().toString());
    provenance.put("java.version", System.getProperty("java.version", "unknown"));
    String sdk = AlignmentLoop.class.getPackage().getImplementationVersion();
    provenance.put("sdk.version", sdk == null ? "development" : sdk);
    provenance.put("initialPolicy.path", initialPolicy.directory().toString());
    return RunDirectory.open(root, runId, snapshot, provenance);
  }

  /**
   * Records which scorer scores iteration k ({@code iter-K/scorer.json}), or, when an earlier
   * attempt recorded one, refuses a scorer whose provenance differs, naming the fields.
   */
  static void checkScorer(RunDirectory run, int k, Provenance now) {
    if (run.stageDone(k, SCORER_STAGE)) {
      Provenance before = run.readStageJson(k, SCORER_STAGE, Provenance.class);
      List<String> diff = before.differences(now);
      if (!diff.isEmpty()) {
        throw new InvalidInputException("iteration " + k + " of run directory " + run.root()
            + " was scored by another scorer (" + SCORER_FILE + " differs in: "
            + String.join(", ", diff) + "); resume with the same scorer or use another "
            + "directory");
      }
    } else {
      run.writeStageJson(k, SCORER_STAGE, SCORER_FILE, now);
    }
  }

  /**
   * Checks the prompts of a run and copies them.
   *
   * @throws InvalidInputException when the list is empty, holds null or a duplicate id (named)
   */
  static List<Prompt> validatePrompts(List<Prompt> prompts) {
    if (prompts.isEmpty()) {
      throw new InvalidInputException("the alignment loop needs at least one prompt");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < prompts.size(); i++) {
      Prompt p = prompts.get(i);
      if (p == null) {
        throw new InvalidInputException("prompt list contains null at index " + i);
      }
      Integer prev = seen.put(p.id(), i);
      if (prev != null) {
        throw new InvalidInputException(
            "duplicate prompt id '" + p.id() + "' at indices " + prev + " and " + i
                + "; prompt ids must be unique within a run");
      }
    }
    return List.copyOf(prompts);
  }

  private static String promptDigest(List<Prompt> prompts) {
    MessageDigest md = sha256();
    for (Prompt p : prompts) {
      md.update((p.id() + "\u0000" + p.text() + "\u0000" + p.image().contentHash() + "\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static String defaultRunId(ObjectNode snapshot) {
    byte[] digest = sha256().digest(Json.toJson(snapshot).getBytes(StandardCharsets.UTF_8));
    return "run-" + HexFormat.of().formatHex(digest).substring(0, 16);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
