package org.rlaifv.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.rlaifv.BackendException;

/**
 * Finds backends registered with {@link ServiceLoader}.
 *
 * <p>Selection order: an explicit name; else the {@value #PROPERTY} system property; else the
 * {@value #ENV} environment variable; else the only backend that has the required capabilities.
 * When several match and none was named, selection fails and the message lists them, rather than
 * picking one silently.
 *
 * <pre>{@code
 * BackendProvider djl = Backends.select(Capability.TRAINING);
 * try (ResponseSampler sampler = djl.newSampler(policy, BackendOptions.defaults())) { ... }
 * }</pre>
 */
public final class Backends {

  /** System property naming the backend to use. */
  public static final String PROPERTY = "rlaifv.backend";

  /** Environment variable naming the backend to use (when the property is unset). */
  public static final String ENV = "RLAIFV_BACKEND";

  private Backends() {}

  /**
   * Lists the registered backends, highest rank first, then by name.
   *
   * @return the providers (a new list each call)
   */
  public static List<BackendProvider> all() {
    List<BackendProvider> out = new ArrayList<>();
    ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(out::add);
    out.sort(
        Comparator.comparingInt(BackendProvider::rank)
            .reversed()
            .thenComparing(BackendProvider::name));
    return out;
  }

  /**
   * Returns the backend with a name (case-insensitive).
   *
   * @param name the backend name
   * @return the provider
   * @throws BackendException listing the registered names when none matches
   */
  public static BackendProvider get(String name) {
    for (BackendProvider p : all()) {
      if (p.name().equalsIgnoreCase(name)) {
        return p;
      }
    }
    throw new BackendException(
        "no backend named '"
            + name
            + "' is on the class path (registered: "
            + names(all())
            + "); add its module, e.g. org.rlaifv:rlaifv-"
            + name.toLowerCase(Locale.ROOT));
  }

  /**
   * Selects the backend to use for a task needing some capabilities.
   *
   * @param required capabilities the backend must have
   * @return the chosen provider
   * @throws BackendException when none matches, when the named backend lacks a capability, or
   *     when several match and none was named
   */
  public static BackendProvider select(Capability... required) {
    String chosen = System.getProperty(PROPERTY);
    if (chosen == null || chosen.isBlank()) {
      chosen = System.getenv(ENV);
    }
    List<Capability> req = Arrays.asList(required);
    if (chosen != null && !chosen.isBlank()) {
      BackendProvider p = get(chosen.strip());
      for (Capability c : req) {
        if (!p.hasCapability(c)) {
          throw p.unsupported(c);
        }
      }
      return p;
    }
    List<BackendProvider> matching =
        all().stream().filter(p -> p.capabilities().containsAll(req)).toList();
    if (matching.isEmpty()) {
      throw new BackendException(
          "no backend on the class path supports "
              + req
              + " (registered: "
              + names(all())
              + "); add org.rlaifv:rlaifv-djl");
    }
    if (matching.size() > 1) {
      throw new BackendException(
          "several backends support "
              + req
              + ": "
              + names(matching)
              + "; choose one with -D"
              + PROPERTY
              + "=NAME, the "
              + ENV
              + " environment variable, or Backends.get(NAME)");
    }
    return matching.get(0);
  }

  private static String names(List<BackendProvider> providers) {
    return providers.isEmpty()
        ? "none"
        : providers.stream().map(BackendProvider::name).collect(Collectors.joining(", "));
  }
}
