package org.rlaifv.djl.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/**
 * Writes a directory so that readers see either nothing or the complete directory: the content
 * goes to a hidden temporary sibling that is then renamed into place.
 */
final class AtomicDirectories {
  private AtomicDirectories() {}

  /**
   * Writes {@code parent/name} atomically, replacing an older directory of that name.
   *
   * @param parent the parent directory (created when missing)
   * @param name the directory name
   * @param writer fills the (empty, existing) temporary directory it is given
   * @return the final directory
   * @throws UncheckedIOException when a file operation fails; the temporary directory is removed
   */
  static Path write(Path parent, String name, Consumer<Path> writer) {
    Path target = parent.resolve(name);
    Path tmp = parent.resolve("." + name + ".tmp");
    Path old = parent.resolve("." + name + ".old");
    try {
      Files.createDirectories(parent);
      deleteRecursively(tmp);
      Files.createDirectories(tmp);
      try {
        writer.accept(tmp);
        if (Files.exists(target)) {
          deleteRecursively(old);
          Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target);
        }
        deleteRecursively(old);
      } finally {
        deleteRecursively(tmp);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write directory " + target, e);
    }
  }

  /**
   * Deletes a file or directory tree; a missing path is fine.
   *
   * @param path what to delete
   * @throws IOException when a file cannot be deleted
   */
  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null) {
              throw exc;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
