package org.rlaifv.core.io;

import com.google.common.hash.Hashing;
import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash-safe file and directory writes, the one implementation every module uses: the content goes
 * to a temporary sibling {@code .NAME.RANDOM.tmp} in the target's directory, is forced to disk, and
 * is renamed over the target in one atomic step, after which the directory entry is forced to disk.
 * A reader therefore sees either the old file or the complete new one, never a prefix, and once a
 * method returns, the new content survives a crash (so a manifest written afterwards never points
 * at data that is not on disk).
 *
 * <p>A crash can leave temporary siblings behind; their names end in {@code .tmp} and start with a
 * dot, and {@link #removeLeftovers(Path)} deletes them.
 *
 * <pre>{@code
 * AtomicFiles.write(runDir.resolve("selected.json"), bytes);
 * AtomicFiles.write(dir.resolve("model.safetensors"), out -> writeTensors(out));
 * Path cp = AtomicFiles.writeDirectory(trainDir, "checkpoint-8", tmp -> model.save(tmp));
 * }</pre>
 */
public final class AtomicFiles {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);

  /** Test hook: told of every file or directory forced to disk; null outside tests. */
  static volatile Consumer<Path> syncObserver;

  private AtomicFiles() {}

  /** Writes a file's content to a stream; the stream is closed by the caller of this writer. */
  @FunctionalInterface
  public interface ContentWriter {
    /**
     * Writes the complete content.
     *
     * @param out the stream (buffered; closing it only flushes it)
     * @throws IOException when writing fails
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes bytes to a file atomically, creating parent directories.
   *
   * @param target the file to create or replace
   * @param content the complete content
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  public static void write(Path target, byte[] content) {
    write(target, out -> out.write(content));
  }

  /**
   * Writes a file atomically from a stream writer, creating parent directories.
   *
   * @param target the file to create or replace
   * @param content writes the complete content
   * @throws UncheckedIOException naming the file when it cannot be written or the writer fails
   *     with an {@link IOException}
   */
  public static void write(Path target, ContentWriter content) {
    Path dir = parentOf(target);
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = tempSibling(target);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.CREATE_NEW)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        // Writers such as Jackson's close the stream they are given: keep the channel open.
        content.writeTo(new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            out.flush();
          }
        });
        out.flush();
        ch.force(true);
        observeSync(tmp);
      }
      moveAtomically(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Writes a directory atomically: {@code writer} fills an empty temporary sibling, every file and
   * directory in it is forced to disk, and it is renamed to {@code parent/name}, replacing an older
   * directory of that name. Readers see the old directory, none, or the complete new one.
   *
   * @param parent the parent directory (created when missing)
   * @param name the directory's name
   * @param writer fills the temporary directory it is given
   * @return the final directory
   * @throws UncheckedIOException naming the directory when a file operation fails; the temporary
   *     directory is removed
   */
  public static Path writeDirectory(Path parent, String name, Consumer<Path> writer) {
    Path target = parent.resolve(name);
    Path tmp = null;
    Path old = null;
    try {
      Files.createDirectories(parent);
      tmp = tempSibling(target);
      Files.createDirectory(tmp);
      writer.accept(tmp);
      syncTree(tmp);
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        // No atomic exchange on the JDK: move the old one aside first. A crash between the two
        // renames leaves both as temporary siblings, removed by removeLeftovers.
        old = tempSibling(target);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
      }
      moveAtomically(tmp, target);
      tmp = null;
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write directory " + target + ": " + e.getMessage(), e);
    } finally {
      deleteTreeQuietly(tmp);
      deleteTreeQuietly(old);
    }
  }

  /**
   * Forces every regular file and directory under a root (the root included) to disk.
   *
   * @param root a file or directory
   * @throws UncheckedIOException naming the file that cannot be forced
   */
  public static void syncTree(Path root) {
    List<Path> dirs = new ArrayList<>();
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (attrs.isRegularFile()) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
              ch.force(true);
            }
            observeSync(file);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          if (exc != null) {
            throw exc;
          }
          dirs.add(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot force " + root + " to disk: " + e.getMessage(), e);
    }
    for (Path d : dirs) {
      syncDirectory(d);
    }
  }

  /**
   * Deletes the temporary siblings that interrupted atomic writes left under a directory (files and
   * directories named {@code .NAME.tmp} or {@code .NAME.RANDOM.tmp}, at any depth). Call it only
   * while no write is in progress there.
   *
   * @param root the directory to clean; a missing one is fine
   * @return the paths deleted
   * @throws UncheckedIOException naming the path that cannot be deleted
   */
  public static List<Path> removeLeftovers(Path root) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return found;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          if (!dir.equals(root) && isTemporaryName(dir)) {
            found.add(dir);
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (isTemporaryName(file)) {
            found.add(file);
          }
          return FileVisitResult.CONTINUE;
        }
      });
      for (Path p : found) {
        deleteRecursively(p);
        LOG.info("removed {}, left by an interrupted write", p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot remove temporary files under " + root + ": " + e.getMessage(), e);
    }
    return found;
  }

  /**
   * Deletes a file or a directory tree; a missing path is fine. Symbolic links are deleted, not
   * followed.
   *
   * @param path what to delete
   * @throws IOException when something cannot be deleted
   */
  public static void deleteRecursively(Path path) throws IOException {
    if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // Insecure deletes allowed: file systems without SecureDirectoryStream (macOS, Windows) get
    // the plain walk they always had, rather than an exception.
    MoreFiles.deleteRecursively(path, RecursiveDeleteOption.ALLOW_INSECURE);
  }

  static boolean isTemporaryName(Path p) {
    Path f = p.getFileName();
    if (f == null) {
      return false;
    }
    String n = f.toString();
    return n.length() > ".tmp".length() + 1 && n.startsWith(".") && n.endsWith(".tmp");
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // The write already failed; a stray temp file is harmless and removed on the next open.
      }
    }
  }

  private static void deleteTreeQuietly(Path p) {
    try {
      deleteRecursively(p);
    } catch (IOException e) {
      LOG.warn("cannot remove {}: {}", p, e.getMessage());
    }
  }

  private static void observeSync(Path p) {
    Consumer<Path> o = syncObserver;
    if (o != null) {
      o.accept(p);
    }
  }

  /**
   * Writes lines to a file atomically, each in UTF-8 followed by {@code '\n'}.
   *
   * @param target the file to create or replace
   * @param lines the lines, without line terminators
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  public static void write(Path target, List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      sb.append(line).append('\n');
    }
    write(target, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Renames a file over another atomically and forces the directory entry to disk.
   *
   * @param source the file to rename
   * @param target its new name (replaced when it exists)
   * @throws UncheckedIOException naming both files when the rename fails
   */
  public static void move(Path source, Path target) {
    try {
      moveAtomically(source, target);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot rename " + source + " to " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Returns the SHA-256 digest of a file's content.
   *
   * @param file the file
   * @return 64 lowercase hex characters
   * @throws UncheckedIOException naming the file when it cannot be read
   */
  public static String sha256(Path file) {
    try {
      return MoreFiles.asByteSource(file).hash(Hashing.sha256()).toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Returns the SHA-256 digest of bytes.
   *
   * @param content the bytes
   * @return 64 lowercase hex characters
   */
  public static String sha256(byte[] content) {
    return Hashing.sha256().hashBytes(content).toString();
  }

  /**
   * Forces a directory's entries to disk, so that a rename or a new file inside it survives a
   * crash. Does nothing where the platform cannot open directories (Windows).
   *
   * @param dir the directory
   */
  public static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
      observeSync(dir);
    } catch (IOException | UnsupportedOperationException e) {
      // Not supported on every platform; the rename itself is still atomic.
    }
  }

  /**
   * Returns a fresh, not yet existing temporary file name next to a target ({@code
   * .NAME.RANDOM.tmp}). Unlike {@link Files#createTempFile}, the file is then created with the
   * process's default permissions, so the renamed file is as readable as any other output.
   *
   * @param target the file the temporary one will replace
   * @return the temporary path (not created)
   */
  public static Path tempSibling(Path target) {
    long r = java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
    return parentOf(target).resolve("." + target.getFileName() + "." + Long.toString(r, 36) + ".tmp");
  }

  private static void moveAtomically(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the file system does not support atomic renames in " + parentOf(target), e);
    }
    syncDirectory(parentOf(target));
  }

  private static Path parentOf(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("file has no parent directory: " + file);
    }
    return parent;
  }
}
