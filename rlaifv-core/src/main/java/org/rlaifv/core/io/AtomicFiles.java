package org.rlaifv.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Crash-safe file writes: the content goes to a temporary file in the target's directory, is
 * forced to disk, and is renamed over the target in one atomic step. A reader therefore sees either
 * the old file or the complete new one, never a prefix.
 *
 * <pre>{@code
 * AtomicFiles.write(runDir.resolve("selected.json"), bytes);
 * }</pre>
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Writes bytes to a file atomically, creating parent directories.
   *
   * @param target the file to create or replace
   * @param content the complete content
   * @throws UncheckedIOException naming the file when it cannot be written
   */
  public static void write(Path target, byte[] content) {
    Path dir = parentOf(target);
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = tempSibling(target);
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
          StandardOpenOption.CREATE_NEW)) {
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      moveAtomically(tmp, target);
      tmp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // The write already failed; a stray temp file is harmless and named as one.
        }
      }
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
    MessageDigest md = newSha256();
    byte[] buf = new byte[1 << 16];
    try (var in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Returns the SHA-256 digest of bytes.
   *
   * @param content the bytes
   * @return 64 lowercase hex characters
   */
  public static String sha256(byte[] content) {
    return HexFormat.of().formatHex(newSha256().digest(content));
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
  static Path tempSibling(Path target) {
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

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
