package org.rlaifv.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.rlaifv.BackendException;
import org.rlaifv.InvalidInputException;
import org.rlaifv.spi.BackendOptions;

/**
 * Translates {@link BackendOptions} into ONNX Runtime session options.
 *
 * <p>Properties read: {@value #OPTIMIZATION} ({@code none}, {@code basic}, {@code extended} or
 * {@code all}, default {@code all}), {@value #INTER_OP_THREADS} (a non-negative integer) and
 * {@value #ALLOW_SPINNING} ({@code true} or {@code false}, default ONNX Runtime's {@code true}:
 * worker threads busy-wait between ops, which helps on an idle machine and hurts on a shared one)
 * and {@value #PROFILE} (a file prefix: every session made with these options writes ONNX Runtime's
 * per-node timing profile, a Chrome trace JSON named {@code PREFIX_<time>.json}, when it closes).
 * {@link BackendOptions#threads()} sets the intra-op threads (0 lets ONNX Runtime decide).
 */
final class OrtOptions {
  /** Property naming the graph optimisation level. */
  static final String OPTIMIZATION = "onnx.optimization";

  /** Property naming the inter-op thread count. */
  static final String INTER_OP_THREADS = "onnx.interOpThreads";

  /** Property turning intra-op thread spinning on or off. */
  static final String ALLOW_SPINNING = "onnx.allowSpinning";

  /** Property naming the file prefix of ONNX Runtime's per-node profile. */
  static final String PROFILE = "onnx.profile";

  private OrtOptions() {}

  /** Returns whether this ONNX Runtime build has the CUDA execution provider and a GPU shows. */
  static boolean cudaUsable() {
    return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)
        && Files.exists(Path.of("/dev/nvidiactl"));
  }

  /**
   * Creates session options; the caller closes them after creating its sessions.
   *
   * @throws BackendException when CUDA is requested but unusable
   */
  static SessionOptions create(BackendOptions options) {
    SessionOptions so = new SessionOptions();
    try {
      so.setOptimizationLevel(level(options.properties().getOrDefault(OPTIMIZATION, "all")));
      if (options.threads() > 0) {
        so.setIntraOpNumThreads(options.threads());
      }
      String inter = options.properties().get(INTER_OP_THREADS);
      if (inter != null) {
        so.setInterOpNumThreads(parseThreads(inter));
      }
      String spin = options.properties().get(ALLOW_SPINNING);
      if (spin != null) {
        if (!spin.equals("true") && !spin.equals("false")) {
          throw new InvalidInputException(
              ALLOW_SPINNING + " must be true or false, got '" + spin + "'");
        }
        so.addConfigEntry("session.intra_op.allow_spinning", spin.equals("true") ? "1" : "0");
      }
      String profile = options.properties().get(PROFILE);
      if (profile != null) {
        if (profile.isBlank()) {
          throw new InvalidInputException(PROFILE + " must name a file prefix, got an empty value");
        }
        so.enableProfiling(profile);
      }
      String device = options.device();
      if (device.startsWith("cuda") || (device.equals("auto") && cudaUsable())) {
        int id = device.startsWith("cuda:") ? Integer.parseInt(device.substring(5)) : 0;
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
          throw new BackendException(
              "device '"
                  + device
                  + "' was requested but the ONNX Runtime on the class path has no CUDA"
                  + " execution provider; replace com.microsoft.onnxruntime:onnxruntime with"
                  + " onnxruntime_gpu, or use device 'cpu'");
        }
        try {
          so.addCUDA(id);
        } catch (OrtException e) {
          throw new BackendException(
              "cannot enable the CUDA execution provider on GPU "
                  + id
                  + " (is a GPU visible and the CUDA runtime installed?): "
                  + e.getMessage(),
              e);
        }
      }
      return so;
    } catch (OrtException e) {
      so.close();
      throw new BackendException("cannot configure ONNX Runtime: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      so.close();
      throw e;
    }
  }

  private static int parseThreads(String value) {
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new InvalidInputException(
        INTER_OP_THREADS + " must be a non-negative integer, got '" + value + "'");
  }

  static OptLevel level(String name) {
    switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "none":
        return OptLevel.NO_OPT;
      case "basic":
        return OptLevel.BASIC_OPT;
      case "extended":
        return OptLevel.EXTENDED_OPT;
      case "all":
        return OptLevel.ALL_OPT;
      default:
        throw new InvalidInputException(
            OPTIMIZATION + " must be none, basic, extended or all, got '" + name + "'");
    }
  }
}
