package org.rlaifv.examples.shapes;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.rlaifv.InvalidInputException;
import org.rlaifv.core.shapes.ShapesWorld;
import org.rlaifv.core.hf.PromptFormat;
import org.rlaifv.djl.model.VlmConfig;

/**
 * The sizes, prompt format and file locations of the two ShapesWorld models (policy and labeler).
 *
 * <p>Both read 32x32 images in 16x16 patches: the scene grid is 2x2 with one object per cell, so
 * every patch holds at most one object, which makes grounding learnable in minutes on a CPU.
 */
public final class ShapesModels {

  /** Directory name of the policy under the models directory. */
  public static final String POLICY = "shapes-policy";

  /** Directory name of the labeler under the models directory. */
  public static final String LABELER = "shapes-labeler";

  /** The chat template both models use. */
  public static final PromptFormat FORMAT = PromptFormat.withTemplate("<image> USER : {prompt} ASSISTANT :");

  /** Longest response the policy writes, in tokens (4 objects plus flaws fit easily). */
  public static final int MAX_NEW_TOKENS = 64;

  /** Directory name of the hard world's multitask policy under the models directory. */
  public static final String HARD_POLICY = "shapes-hard-policy";

  /** Directory name of the hard world's labeler under the models directory. */
  public static final String HARD_LABELER = "shapes-hard-labeler";

  /**
   * Longest response the hard world's policy writes, in tokens: a count, four sized objects, two
   * inserted partners and a relation (103 tokens) fit, and with the 4 image tokens and the prompt
   * stay within the 128 positions.
   */
  public static final int HARD_MAX_NEW_TOKENS = 104;

  /**
   * Returns the longest response of a world's policy.
   *
   * @param world the world
   * @return {@link #HARD_MAX_NEW_TOKENS} for the hard world, else {@link #MAX_NEW_TOKENS}
   */
  public static int maxNewTokens(ShapesWorld world) {
    return world.isHard() ? HARD_MAX_NEW_TOKENS : MAX_NEW_TOKENS;
  }

  /**
   * Returns the directory name of a labeler of the hard world saved when it first reached a
   * validation accuracy ({@code pretrain --world hard} saves one per quality target).
   *
   * @param percent the accuracy target in percent, e.g. 75
   * @return e.g. {@code "shapes-hard-labeler-q75"}
   */
  public static String hardLabelerAtQuality(int percent) {
    return HARD_LABELER + "-q" + percent;
  }

  private ShapesModels() {}

  /**
   * Returns the tokenizer vocabulary: every word of the world plus the template's words.
   *
   * @param world the world
   * @return the words, the world's first
   */
  public static List<String> vocabulary(ShapesWorld world) {
    List<String> v = new ArrayList<>(world.vocabulary());
    for (String w : List.of("USER", "ASSISTANT", ":")) {
      if (!v.contains(w)) {
        v.add(w);
      }
    }
    return v;
  }

  /**
   * Returns the policy's sizes: a 3-layer decoder of width 64 over a 1-layer patch encoder. The
   * easy world's labeler has the same sizes: it is fine-tuned from the SFT policy. The hard
   * world's labeler and policy end with 6 decoder layers (the relation phase of {@code pretrain
   * --world hard}).
   *
   * @param vocabSize the tokenizer's vocabulary size
   * @return the config
   */
  public static VlmConfig policyConfig(int vocabSize) {
    return policyConfig(vocabSize, 16, 1, 3);
  }

  /**
   * Returns the policy's sizes with another patch size, vision depth or decoder depth (the hard
   * world's spatial relations). With patches smaller than 16 pixels there are more image tokens,
   * and the decoder gets 192 positions instead of 128 to hold them.
   *
   * @param vocabSize the tokenizer's vocabulary size
   * @param patch patch size in pixels, a divisor of 32
   * @param visionLayers vision encoder layers
   * @param decoderLayers language model layers
   * @return the config
   */
  public static VlmConfig policyConfig(int vocabSize, int patch, int visionLayers,
      int decoderLayers) {
    return VlmConfig.of(64, decoderLayers, 4, 4, 128, vocabSize, patch >= 16 ? 128 : 192,
        VlmConfig.VisionConfig.of(32, patch, 64, visionLayers, 4, 128));
  }


  /** System property naming the directory that holds the shipped models. */
  public static final String PROPERTY = "rlaifv.models";

  /** Environment variable naming that directory when the property is unset. */
  public static final String ENV = "RLAIFV_MODELS";

  /**
   * Returns the models directory to use: {@code given} when not null; else the {@value #PROPERTY}
   * system property, else the {@value #ENV} environment variable; else the first of {@link
   * #defaultLocations()} that holds a ShapesWorld model, else the first of them (where {@code
   * pretrain} writes by default).
   *
   * @param given the {@code --models} option, or null
   * @return the directory (not checked to exist; see {@link #requireModelsDirectory})
   */
  public static Path modelsDirectory(String given) {
    Path explicit = explicitDirectory(given);
    if (explicit != null) {
      return explicit;
    }
    List<Path> candidates = defaultLocations();
    for (Path c : candidates) {
      if (holdsModels(c)) {
        return c;
      }
    }
    return candidates.get(0);
  }

  /**
   * Returns the models directory as {@link #modelsDirectory} does, but fails when none was named
   * and no default location holds a model, saying where it looked and how to name one.
   *
   * @param given the {@code --models} option, or null
   * @return the directory
   * @throws InvalidInputException when no directory was named and none was found
   */
  public static Path requireModelsDirectory(String given) {
    Path explicit = explicitDirectory(given);
    if (explicit != null) {
      return explicit;
    }
    List<Path> candidates = defaultLocations();
    for (Path c : candidates) {
      if (holdsModels(c)) {
        return c;
      }
    }
    throw new InvalidInputException("no ShapesWorld models (" + POLICY + ", " + LABELER
        + ") in " + candidates.stream().map(Path::toString).collect(Collectors.joining(", "))
        + "; pass --models DIR, set -D" + PROPERTY + "=DIR or " + ENV
        + "=DIR, or write them with `rlaifv pretrain --out DIR`");
  }

  /**
   * Returns where the shipped models are looked for, in order: {@code models} next to the
   * directory that holds the running jar or classes ({@code examples/target/rlaifv.jar} and
   * {@code examples/target/classes} both give {@code examples/models}), then {@code
   * examples/models} and {@code models} under the working directory.
   *
   * @return absolute, normalised paths without duplicates
   */
  public static List<Path> defaultLocations() {
    Set<Path> out = new LinkedHashSet<>();
    codeLocation().ifPresent(code -> {
      Path parent = code.getParent();
      if (parent != null && parent.getParent() != null) {
        out.add(parent.getParent().resolve("models"));
      }
    });
    Path cwd = Path.of("").toAbsolutePath();
    out.add(cwd.resolve("examples").resolve("models").normalize());
    out.add(cwd.resolve("models").normalize());
    return List.copyOf(out);
  }

  private static Path explicitDirectory(String given) {
    if (given != null) {
      return Path.of(given);
    }
    String named = System.getProperty(PROPERTY);
    if (named == null || named.isBlank()) {
      named = System.getenv(ENV);
    }
    return named == null || named.isBlank() ? null : Path.of(named.strip());
  }

  private static boolean holdsModels(Path dir) {
    return Files.isDirectory(dir.resolve(POLICY)) || Files.isDirectory(dir.resolve(LABELER));
  }

  /** The jar or class directory this class was loaded from, when the JVM tells. */
  private static Optional<Path> codeLocation() {
    try {
      CodeSource source = ShapesModels.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return Optional.empty();
      }
      return Optional.of(Path.of(source.getLocation().toURI()).toAbsolutePath().normalize());
    } catch (URISyntaxException | RuntimeException e) {
      // Not a file location (a custom class loader): fall back to the working directory.
      return Optional.empty();
    }
  }
}
