package org.rlaifv.djl.model;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The model package's entry to {@link org.rlaifv.core.io.AtomicFiles}, the one atomic-write
 * implementation (temporary sibling, fsync, atomic rename, directory fsync), with the checked
 * {@link IOException} this package's writers declare.
 */
final class AtomicFiles {
  private AtomicFiles() {}

  /** Writer of a file's content. */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  static void write(Path file, byte[] bytes) throws IOException {
    write(file, out -> out.write(bytes));
  }

  static void write(Path file, Content content) throws IOException {
    try {
      org.rlaifv.core.io.AtomicFiles.write(file, content::writeTo);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
