package org.rlaifv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a role is, as recorded in a run's identity and in the checkpoints it produces: a name, its
 * settings, and the roles it is made of (a scorer's splitter, questioner and judge).
 *
 * <p>Every role interface has a default {@code provenance()} returning {@link #of(Object)}: the
 * implementation's class name and no settings. Implementations whose behaviour depends on settings
 * or on a model override it, so that a run resumed with other settings or another model is
 * refused instead of continuing silently:
 *
 * <pre>{@code
 * @Override
 * public Provenance provenance() {
 *   return Provenance.of(this)
 *       .with("abstainBelow", abstainBelow)
 *       .withCheckpoint("model", checkpoint);        // id, path and a SHA-256 of its weights
 * }
 * }</pre>
 *
 * <p>Values are strings, so that a provenance compares equal after a JSON round trip. Immutable.
 *
 * @param name what the role is, usually its class name
 * @param settings the settings that change its results, by name
 * @param parts the roles it delegates to, by name
 */
public record Provenance(
    String name, SortedMap<String, String> settings, SortedMap<String, Provenance> parts) {

  /**
   * Validates and copies the fields.
   *
   * @throws InvalidInputException when the name is blank
   */
  public Provenance {
    Checks.nonBlank(name, "provenance name");
    settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
    parts = Collections.unmodifiableSortedMap(new TreeMap<>(parts));
    for (Map.Entry<String, String> e : settings.entrySet()) {
      Objects.requireNonNull(
          e.getValue(), () -> "provenance setting " + e.getKey() + " of " + name);
    }
    for (Map.Entry<String, Provenance> e : parts.entrySet()) {
      Objects.requireNonNull(e.getValue(), () -> "provenance part " + e.getKey() + " of " + name);
    }
  }

  /**
   * Returns a provenance with a name and nothing else.
   *
   * @param name the name
   * @return the provenance
   */
  public static Provenance named(String name) {
    return new Provenance(name, new TreeMap<>(), new TreeMap<>());
  }

  /**
   * Returns the default provenance of a role: its class name, stable across runs also for lambdas
   * (whose generated class names change from one JVM to the next).
   *
   * @param role the role
   * @return the provenance named after the role's class
   */
  public static Provenance of(Object role) {
    return named(nameOf(role.getClass()));
  }

  /**
   * Returns a stable name for a class: its binary name, with the run-specific suffix of a lambda's
   * generated class reduced to {@code $$Lambda}.
   *
   * @param type the class
   * @return the name
   */
  public static String nameOf(Class<?> type) {
    String n = type.getName();
    int lambda = n.indexOf("$$Lambda");
    if (lambda >= 0) {
      return n.substring(0, lambda) + "$$Lambda";
    }
    int hidden = n.indexOf('/');
    return hidden >= 0 ? n.substring(0, hidden) : n;
  }

  /**
   * Returns a copy with one more setting (replacing one of the same name).
   *
   * @param key the setting's name
   * @param value its value, recorded with {@link String#valueOf(Object)} (so null is recorded as
   *     {@code "null"})
   * @return the new provenance
   */
  public Provenance with(String key, Object value) {
    Objects.requireNonNull(key, "key");
    TreeMap<String, String> s = new TreeMap<>(settings);
    s.put(key, String.valueOf(value));
    return new Provenance(name, s, parts);
  }

  /**
   * Returns a copy with one more part (replacing one of the same name).
   *
   * @param key the part's name, for example {@code "judge"}
   * @param part its provenance
   * @return the new provenance
   */
  public Provenance withPart(String key, Provenance part) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(part, "part");
    TreeMap<String, Provenance> p = new TreeMap<>(parts);
    p.put(key, part);
    return new Provenance(name, settings, p);
  }

  /**
   * Returns a copy that records a model checkpoint under a key: {@code KEY.id}, {@code KEY.path}
   * (absolute) and {@code KEY.sha256}, the {@link #weightsDigest(Path) digest of its weights}.
   *
   * @param key the setting prefix, for example {@code "model"}
   * @param checkpoint the checkpoint
   * @return the new provenance
   * @throws UncheckedIOException naming the directory when a weights file cannot be read
   */
  public Provenance withCheckpoint(String key, Checkpoint checkpoint) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(checkpoint, "checkpoint");
    return with(key + ".id", checkpoint.id())
        .with(key + ".path", checkpoint.directory().toAbsolutePath().normalize())
        .with(key + ".sha256", weightsDigest(checkpoint.directory()));
  }

  /**
   * Returns the SHA-256 over a model directory's weights: every {@code *.safetensors}, {@code
   * *.onnx} and {@code *.onnx_data} file directly in it, in name order, each file's name and bytes.
   * Two directories with the same weights files get the same digest wherever they are.
   *
   * @param modelDirectory the model directory
   * @return 64 lowercase hex digits ({@code "none"} when the directory holds no weights file)
   * @throws UncheckedIOException naming the directory when it cannot be read
   */
  public static String weightsDigest(Path modelDirectory) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(modelDirectory)) {
      s.filter(Files::isRegularFile)
          .filter(p -> {
            String f = p.getFileName().toString();
            return f.endsWith(".safetensors") || f.endsWith(".onnx") || f.endsWith(".onnx_data");
          })
          .sorted()
          .forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot list the weights of model directory " + modelDirectory + ": " + e.getMessage(),
          e);
    }
    if (files.isEmpty()) {
      return "none";
    }
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
    byte[] buf = new byte[1 << 16];
    for (Path f : files) {
      md.update((f.getFileName() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try (InputStream in = Files.newInputStream(f)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Lists the settings in which another provenance differs from this one, as dotted paths ({@code
   * judge.abstainBelow}; {@code name} when the names differ).
   *
   * @param other the other provenance
   * @return the differing paths, empty when equal
   */
  public List<String> differences(Provenance other) {
    List<String> out = new ArrayList<>();
    diff("", this, other, out);
    return out;
  }

  private static void diff(String prefix, Provenance a, Provenance b, List<String> out) {
    if (!a.name.equals(b.name)) {
      out.add(prefix + "name");
    }
    TreeMap<String, Boolean> keys = new TreeMap<>();
    a.settings.keySet().forEach(k -> keys.put(k, true));
    b.settings.keySet().forEach(k -> keys.put(k, true));
    for (String k : keys.keySet()) {
      if (!Objects.equals(a.settings.get(k), b.settings.get(k))) {
        out.add(prefix + k);
      }
    }
    TreeMap<String, Boolean> parts = new TreeMap<>();
    a.parts.keySet().forEach(k -> parts.put(k, true));
    b.parts.keySet().forEach(k -> parts.put(k, true));
    for (String k : parts.keySet()) {
      Provenance pa = a.parts.get(k);
      Provenance pb = b.parts.get(k);
      if (pa == null || pb == null) {
        out.add(prefix + k);
      } else {
        diff(prefix + k + ".", pa, pb, out);
      }
    }
  }
}
