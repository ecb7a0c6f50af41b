package org.rlaifv.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rlaifv.Image;
import org.rlaifv.InvalidInputException;
import org.rlaifv.Prompt;
import org.rlaifv.RlaifvException;

/**
 * Reads and writes prompt sets as JSON Lines, one {@code {"id", "image", "text"}} object per line,
 * the image given as a path relative to the file's directory.
 *
 * <p>The reader treats the file as untrusted: an image path that is absolute or leaves the file's
 * directory (through {@code ..} or a symbolic link) is refused, images are loaded with {@link
 * Image#fromFile}'s size limits, and every error names the file and line.
 *
 * <pre>{@code
 * PromptFiles.write(dir.resolve("prompts.jsonl"), prompts);   // images under dir/images/
 * List<Prompt> again = PromptFiles.read(dir.resolve("prompts.jsonl"));
 * }</pre>
 */
public final class PromptFiles {
  private PromptFiles() {}

  /**
   * One line of a prompt file.
   *
   * @param id the prompt id
   * @param image the image path, relative to the file's directory
   * @param text the instruction text
   */
  public record Line(String id, String image, String text) {}

  /**
   * Reads a prompt file.
   *
   * @param file the JSON Lines file
   * @return the prompts, in file order
   * @throws InvalidInputException naming the file and line (1-based, blank lines counted) of a
   *     malformed line, a duplicate id, an image path outside the file's directory, or an image
   *     that is missing or cannot be decoded
   */
  public static List<Prompt> read(Path file) {
    Path root = file.toAbsolutePath().normalize().getParent();
    Path realRoot;
    try {
      realRoot = root.toRealPath();
    } catch (IOException e) {
      throw new InvalidInputException("cannot read " + file + ": " + e.getMessage(), e);
    }
    List<Prompt> out = new ArrayList<>();
    Map<String, Long> seen = new HashMap<>();
    Map<Path, Image> cache = new HashMap<>();
    JsonlReader.forEachLine(file, Line.class, (line, number) -> {
      String where = file + " line " + number;
      if (line.id() == null || line.image() == null || line.text() == null) {
        throw new InvalidInputException(where + ": id, image and text are required");
      }
      Long prev = seen.put(line.id(), number);
      if (prev != null) {
        throw new InvalidInputException(
            where + ": duplicate prompt id '" + line.id() + "' (first on line " + prev + ")");
      }
      Path img = resolveInside(root, realRoot, line.image(), where);
      Image image = cache.get(img);
      if (image == null) {
        try {
          image = Image.fromFile(img);
        } catch (RlaifvException | UncheckedIOException e) {
          throw new InvalidInputException(
              where + ": cannot read image '" + line.image() + "': " + e.getMessage(), e);
        }
        cache.put(img, image);
      }
      try {
        out.add(new Prompt(line.id(), image, line.text()));
      } catch (InvalidInputException e) {
        throw new InvalidInputException(where + ": " + e.getMessage(), e);
      }
    });
    return out;
  }

  /**
   * Writes a prompt file atomically, with each distinct image written once as a PNG under {@code
   * images/} next to it (named by content hash).
   *
   * @param file the JSON Lines file to create or replace
   * @param prompts the prompts
   * @throws UncheckedIOException naming the file when it or an image cannot be written
   */
  public static void write(Path file, List<Prompt> prompts) {
    Path dir = file.toAbsolutePath().getParent().resolve(PairExport.IMAGES_FOLDER);
    Map<Image, String> written = new LinkedHashMap<>();
    List<Line> lines = new ArrayList<>(prompts.size());
    try {
      Files.createDirectories(dir);
      for (Prompt p : prompts) {
        String rel = written.get(p.image());
        if (rel == null) {
          String name = p.image().contentHash().substring(0, 24) + ".png";
          Path target = dir.resolve(name);
          if (!Files.exists(target)) {
            Path tmp = AtomicFiles.tempSibling(target);
            try {
              p.image().writePng(tmp);
              AtomicFiles.move(tmp, target);
            } finally {
              Files.deleteIfExists(tmp);
            }
          }
          rel = PairExport.IMAGES_FOLDER + "/" + name;
          written.put(p.image(), rel);
        }
        lines.add(new Line(p.id(), rel, p.text()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write images for " + file + ": " + e.getMessage(), e);
    }
    JsonlWriter.writeAll(file, lines);
  }

  private static Path resolveInside(Path root, Path realRoot, String image, String where) {
    Path rel;
    try {
      rel = Path.of(image);
    } catch (RuntimeException e) {
      throw new InvalidInputException(where + ": invalid image path '" + image + "'", e);
    }
    if (image.isBlank() || rel.isAbsolute() || rel.getRoot() != null) {
      throw new InvalidInputException(
          where + ": image path '" + image + "' must be relative to " + root);
    }
    Path resolved = root.resolve(rel).normalize();
    if (!resolved.startsWith(root)) {
      throw new InvalidInputException(
          where + ": image path '" + image + "' leaves the dataset directory " + root);
    }
    try {
      Path real = resolved.toRealPath();
      if (!real.startsWith(realRoot)) {
        throw new InvalidInputException(
            where + ": image path '" + image + "' links outside the dataset directory " + root);
      }
      return real;
    } catch (IOException e) {
      throw new InvalidInputException(where + ": cannot read image '" + image + "': "
          + e.getMessage(), e);
    }
  }
}
