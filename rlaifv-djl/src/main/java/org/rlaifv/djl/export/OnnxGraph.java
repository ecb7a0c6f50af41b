package org.rlaifv.djl.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds one ONNX graph and writes it as a {@code ModelProto} (IR version {@value #IR_VERSION},
 * default-domain opset {@value #OPSET}), with every initializer stored inside the file or, for
 * graphs over protobuf's 2 GB limit, the weights in an external-data file ({@link #writeAll}).
 *
 * <p>Nodes are added in topological order. The helper methods ({@link #op}, {@link #constant})
 * name their outputs uniquely, so graph code reads like the maths it encodes:
 *
 * <pre>{@code
 * OnnxGraph g = new OnnxGraph("mlp");
 * g.input("x", OnnxGraph.ElemType.FLOAT, "batch", 4);
 * String w = g.initializer(OnnxConstant.ofFloats("w", weights, 4, 3));
 * String y = g.op("MatMul", "x", w);
 * g.node("Identity", List.of(y), List.of("y"));
 * g.output("y", OnnxGraph.ElemType.FLOAT, "batch", 3);
 * g.write(Path.of("mlp.onnx"), "rlaifv");
 * }</pre>
 *
 * <p>Not thread-safe; one builder per graph.
 */
public final class OnnxGraph {
  /** The ONNX IR version written into {@code ModelProto.ir_version}. */
  public static final int IR_VERSION = 8;

  /** The default-domain operator set the graphs use. */
  public static final int OPSET = 17;

  /** Alignment of each weight's offset in an external-data file (a page, for memory mapping). */
  static final int EXTERNAL_ALIGNMENT = 4096;

  /** Element types of graph inputs and outputs. */
  public enum ElemType {
    /** 32-bit float. */
    FLOAT(1),
    /** 32-bit signed integer. */
    INT32(6),
    /** 64-bit signed integer. */
    INT64(7),
    /** Boolean. */
    BOOL(9);

    private final int code;

    ElemType(int code) {
      this.code = code;
    }

    /**
     * Returns the ONNX {@code TensorProto.DataType} code.
     *
     * @return the code
     */
    public int code() {
      return code;
    }
  }

  private final String name;
  private final List<byte[]> nodes = new ArrayList<>();
  private final List<OnnxConstant> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private int counter;

  /**
   * Starts an empty graph.
   *
   * @param name the graph name
   */
  public OnnxGraph(String name) {
    this.name = Objects.requireNonNull(name, "graph name");
  }

  private static ProtoWriter valueInfo(String name, ElemType type, Object... dims) {
    ProtoWriter shape = new ProtoWriter();
    for (Object d : dims) {
      ProtoWriter dim = new ProtoWriter();
      if (d instanceof String s) {
        dim.string(2, s);
      } else if (d instanceof Number n) {
        dim.varint(1, n.longValue());
      } else {
        throw new IllegalArgumentException(
            "dimension of " + name + " must be a number or a symbolic name, got " + d);
      }
      shape.message(1, dim);
    }
    ProtoWriter tensorType = new ProtoWriter().varint(1, type.code()).message(2, shape);
    ProtoWriter typeProto = new ProtoWriter().message(1, tensorType);
    return new ProtoWriter().string(1, name).message(2, typeProto);
  }

  private void claim(String value) {
    if (!names.add(value)) {
      throw new IllegalArgumentException("value name " + value + " is already used in graph " + name);
    }
  }

  /**
   * Declares a graph input.
   *
   * @param name input name
   * @param type element type
   * @param dims each a fixed size (a {@link Number}) or a symbolic name (a {@link String})
   * @return this graph
   */
  public OnnxGraph input(String name, ElemType type, Object... dims) {
    claim(name);
    inputs.add(valueInfo(name, type, dims).toByteArray());
    return this;
  }

  /**
   * Declares a graph output; a node must produce a value of this name.
   *
   * @param name output name
   * @param type element type
   * @param dims each a fixed size (a {@link Number}) or a symbolic name (a {@link String})
   * @return this graph
   */
  public OnnxGraph output(String name, ElemType type, Object... dims) {
    outputs.add(valueInfo(name, type, dims).toByteArray());
    return this;
  }

  /**
   * Adds an initializer (a weight or constant stored in the file).
   *
   * @param tensor the tensor; its name becomes a value name of the graph
   * @return the tensor's name
   */
  public String initializer(OnnxConstant tensor) {
    claim(tensor.name());
    initializers.add(tensor);
    return tensor.name();
  }

  /**
   * Adds a float32 constant with a generated name.
   *
   * @param data the values
   * @param shape the dimensions; empty for a scalar
   * @return the constant's value name
   */
  public String constant(float[] data, long... shape) {
    return initializer(OnnxConstant.ofFloats(fresh("const"), data, shape));
  }

  /**
   * Adds an int64 constant with a generated name.
   *
   * @param data the values
   * @param shape the dimensions; empty for a scalar
   * @return the constant's value name
   */
  public String constantLongs(long[] data, long... shape) {
    return initializer(OnnxConstant.ofLongs(fresh("const"), data, shape));
  }

  /**
   * Adds a 1-D int64 constant.
   *
   * @param values the values
   * @return the constant's value name
   */
  public String ints(long... values) {
    return constantLongs(values, values.length);
  }

  /**
   * Adds a float32 scalar constant.
   *
   * @param value the value
   * @return the constant's value name
   */
  public String scalar(float value) {
    return constant(new float[] {value});
  }

  /**
   * Returns a value name not used before in this graph.
   *
   * @param prefix a readable prefix
   * @return the new name
   */
  public String fresh(String prefix) {
    String n;
    do {
      n = prefix + "_" + counter++;
    } while (names.contains(n));
    return n;
  }

  /**
   * Adds a node.
   *
   * @param opType the operator ({@code MatMul}, {@code Softmax}, ...), default domain
   * @param in input value names; an empty string marks an omitted optional input
   * @param out output value names
   * @param attributes node attributes
   * @return this graph
   */
  public OnnxGraph node(
      String opType, List<String> in, List<String> out, OnnxAttribute... attributes) {
    ProtoWriter w = new ProtoWriter();
    for (String i : in) {
      w.string(1, i);
    }
    for (String o : out) {
      claim(o);
      w.string(2, o);
    }
    w.string(3, fresh("n_" + opType));
    w.string(4, opType);
    for (OnnxAttribute a : attributes) {
      w.message(5, a.encoded());
    }
    nodes.add(w.toByteArray());
    return this;
  }

  /**
   * Adds a single-output node and returns its generated output name.
   *
   * @param opType the operator
   * @param in input value names
   * @return the output value name
   */
  public String op(String opType, String... in) {
    return op(opType, List.of(in));
  }

  /**
   * Adds a single-output node with attributes and returns its generated output name.
   *
   * @param opType the operator
   * @param in input value names
   * @param attributes node attributes
   * @return the output value name
   */
  public String op(String opType, List<String> in, OnnxAttribute... attributes) {
    String out = fresh(opType.toLowerCase(java.util.Locale.ROOT));
    node(opType, in, List.of(out), attributes);
    return out;
  }

  /**
   * Returns the bytes of this graph's weights (the initializers made by {@link
   * OnnxConstant#lazyFloats}), which {@link #writeAll} may move to an external-data file.
   *
   * @return the byte count
   */
  long weightBytes() {
    long n = 0;
    for (OnnxConstant t : initializers) {
      if (t.isLazy()) {
        n += t.byteSize();
      }
    }
    return n;
  }

  /**
   * Encodes the graph as a complete {@code ModelProto}, every initializer inside.
   *
   * @param producer the producer name recorded in the model
   * @return the serialised model
   * @throws IllegalStateException when the model would exceed protobuf's 2 GB limit
   */
  public byte[] toModelBytes(String producer) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      writeModel(out, producer, Map.of(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Streams the {@code ModelProto}: sizes first (from the tensors' shapes, without computing any
   * weight), then the fields, each weight computed only as it is written.
   *
   * @param external offsets of the initializers stored in {@code location}; the others go inside
   * @param location the external-data file name, relative to the model file
   */
  private void writeModel(
      OutputStream out, String producer, Map<String, Long> external, String location)
      throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    List<byte[]> headers = new ArrayList<>(initializers.size());
    long[] tensorSizes = new long[initializers.size()];
    long graphSize = ProtoWriter.fieldSize(2, nameBytes.length);
    for (byte[] n : nodes) {
      graphSize += ProtoWriter.fieldSize(1, n.length);
    }
    for (int i = 0; i < initializers.size(); i++) {
      OnnxConstant t = initializers.get(i);
      Long offset = external.get(t.name());
      byte[] h = offset == null ? t.header(null, 0) : t.header(location, offset);
      headers.add(h);
      tensorSizes[i] = h.length + (offset == null ? ProtoWriter.fieldSize(9, t.byteSize()) : 0);
      graphSize += ProtoWriter.fieldSize(5, tensorSizes[i]);
    }
    for (byte[] i : inputs) {
      graphSize += ProtoWriter.fieldSize(11, i.length);
    }
    for (byte[] o : outputs) {
      graphSize += ProtoWriter.fieldSize(12, o.length);
    }
    if (graphSize > Integer.MAX_VALUE - (1 << 20)) {
      throw new IllegalStateException(
          "graph " + name + " takes " + graphSize + " bytes, over the 2 GB protobuf limit: write its"
              + " weights to an external-data file");
    }
    ProtoWriter opset = new ProtoWriter().string(1, "").varint(2, OPSET);
    ProtoWriter m = new ProtoWriter();
    m.varint(1, IR_VERSION);
    m.string(2, producer);
    m.string(3, "1");
    m.message(8, opset);
    out.write(m.toByteArray());
    ProtoWriter.lengthPrefix(out, 7, graphSize);
    for (byte[] n : nodes) {
      ProtoWriter.lengthPrefix(out, 1, n.length);
      out.write(n);
    }
    ProtoWriter.lengthPrefix(out, 2, nameBytes.length);
    out.write(nameBytes);
    for (int i = 0; i < initializers.size(); i++) {
      OnnxConstant t = initializers.get(i);
      ProtoWriter.lengthPrefix(out, 5, tensorSizes[i]);
      out.write(headers.get(i));
      if (!external.containsKey(t.name())) {
        ProtoWriter.lengthPrefix(out, 9, t.byteSize());
        t.writeData(out);
      }
    }
    for (byte[] i : inputs) {
      ProtoWriter.lengthPrefix(out, 11, i.length);
      out.write(i);
    }
    for (byte[] o : outputs) {
      ProtoWriter.lengthPrefix(out, 12, o.length);
      out.write(o);
    }
  }

  /**
   * Writes the model file atomically (a temporary file renamed into place), every initializer
   * inside it, streaming the weights one at a time.
   *
   * @param file destination {@code .onnx} file
   * @param producer the producer name recorded in the model
   * @throws UncheckedIOException when the file cannot be written
   * @throws IllegalStateException when the model would exceed protobuf's 2 GB limit
   */
  public void write(Path file, String producer) {
    org.rlaifv.core.io.AtomicFiles.write(file, out -> writeModel(out, producer, Map.of(), null));
  }

  /**
   * Writes graphs whose weights live in one external-data file, as ONNX's {@code
   * save_model(..., save_as_external_data=True)} and Hugging Face Optimum write models over 2 GB:
   * each weight ({@link OnnxConstant#lazyFloats}) is stored once in {@code dataFile}, at an offset
   * aligned to {@value #EXTERNAL_ALIGNMENT} bytes, and every graph's {@code TensorProto} of it has
   * {@code data_location = EXTERNAL} with {@code location}, {@code offset} and {@code length}
   * entries; other initializers stay inside the model files. Graphs that use a weight of the same
   * name share its bytes (the builders give a name to one content only). Every file is written
   * atomically; the weights are computed one at a time while the data file is written.
   *
   * @param graphs the graphs
   * @param files each graph's model file, beside {@code dataFile}
   * @param producer the producer name recorded in the models
   * @param dataFile the external-data file
   * @throws UncheckedIOException when a file cannot be written
   */
  static void writeAll(List<OnnxGraph> graphs, List<Path> files, String producer, Path dataFile) {
    Map<String, Long> offsets = new java.util.LinkedHashMap<>();
    List<OnnxConstant> stored = new ArrayList<>();
    long end = 0;
    for (OnnxGraph g : graphs) {
      for (OnnxConstant t : g.initializers) {
        if (t.isLazy() && !offsets.containsKey(t.name())) {
          end = (end + EXTERNAL_ALIGNMENT - 1) / EXTERNAL_ALIGNMENT * EXTERNAL_ALIGNMENT;
          offsets.put(t.name(), end);
          stored.add(t);
          end += t.byteSize();
        }
      }
    }
    org.rlaifv.core.io.AtomicFiles.write(
        dataFile,
        out -> {
          long at = 0;
          for (OnnxConstant t : stored) {
            long offset = offsets.get(t.name());
            out.write(new byte[(int) (offset - at)]);
            t.writeData(out);
            at = offset + t.byteSize();
          }
        });
    String location = dataFile.getFileName().toString();
    for (int i = 0; i < graphs.size(); i++) {
      OnnxGraph g = graphs.get(i);
      Map<String, Long> own = new java.util.HashMap<>();
      for (OnnxConstant t : g.initializers) {
        if (t.isLazy()) {
          own.put(t.name(), offsets.get(t.name()));
        }
      }
      org.rlaifv.core.io.AtomicFiles.write(
          files.get(i), out -> g.writeModel(out, producer, own, location));
    }
  }
}
