package org.rlaifv.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.rlaifv.BackendException;
import org.rlaifv.ModelFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One graph file of an export loaded into an ONNX Runtime session, with its path for every
 * message: checks of its inputs and outputs against the config, and runs.
 *
 * <p>Owns the session and closes it in {@link #close()}. Runs may be issued from several threads
 * (ONNX Runtime sessions are thread-safe).
 */
final class OrtGraph implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OrtGraph.class);

  private final Path file;
  private final OrtSession session;

  private OrtGraph(Path file, OrtSession session) {
    this.file = file;
    this.session = session;
  }

  /**
   * Loads a graph file into a session.
   *
   * @throws ModelFormatException naming the file when ONNX Runtime cannot load it
   */
  static OrtGraph load(OrtEnvironment env, Path file, OrtSession.SessionOptions options) {
    try {
      return new OrtGraph(file, env.createSession(file.toString(), options));
    } catch (OrtException e) {
      throw new ModelFormatException(
          "ONNX Runtime cannot load " + file + ": " + e.getMessage(), e);
    }
  }

  Path file() {
    return file;
  }

  /**
   * Checks that the graph has a tensor input of the given shape; a negative dimension (here or in
   * the graph) matches any size.
   *
   * @throws ModelFormatException naming the file and the input when it is absent or disagrees
   */
  void expectInput(String name, long... dims) {
    expect(true, name, dims);
  }

  /** Checks an output as {@link #expectInput} checks an input. */
  void expectOutput(String name, long... dims) {
    expect(false, name, dims);
  }

  /** Counts the inputs whose names start with a prefix. */
  int countInputs(String prefix) {
    return (int) session.getInputNames().stream().filter(n -> n.startsWith(prefix)).count();
  }

  private void expect(boolean input, String name, long... dims) {
    Map<String, NodeInfo> infos;
    try {
      infos = input ? session.getInputInfo() : session.getOutputInfo();
    } catch (OrtException e) {
      throw new BackendException("cannot inspect " + file + ": " + e.getMessage(), e);
    }
    String kind = input ? "input" : "output";
    NodeInfo info = infos.get(name);
    if (info == null) {
      throw new ModelFormatException(
          file + ": missing " + kind + " '" + name + "' (has " + infos.keySet() + ")");
    }
    if (!(info.getInfo() instanceof TensorInfo t)) {
      throw new ModelFormatException(file + ": " + kind + " '" + name + "' is not a tensor");
    }
    long[] shape = t.getShape();
    boolean ok = shape.length == dims.length;
    for (int i = 0; ok && i < dims.length; i++) {
      ok = dims[i] < 0 || shape[i] < 0 || shape[i] == dims[i];
    }
    if (!ok) {
      throw new ModelFormatException(
          file
              + ": "
              + kind
              + " '"
              + name
              + "' has shape "
              + Arrays.toString(shape)
              + ", expected "
              + Arrays.toString(dims).replace("-1", "?")
              + " from "
              + OrtConfig.FILE_NAME);
    }
  }

  /** Runs the graph; the caller closes the result. */
  OrtSession.Result run(Map<String, ? extends OnnxTensor> feeds) throws OrtException {
    return session.run(feeds);
  }

  /** Wraps a failed run (or input staging for it), naming the file. */
  BackendException failure(OrtException e) {
    return new BackendException(
        "ONNX Runtime failed running " + file + ": " + e.getMessage(), e);
  }

  /** Closes the session, logging rather than throwing a failure. */
  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.warn("closing an ONNX Runtime session failed: {}", e.getMessage());
    }
  }

  /** Closes a graph that may not have been loaded. */
  static void closeQuietly(OrtGraph graph) {
    if (graph != null) {
      graph.close();
    }
  }
}
