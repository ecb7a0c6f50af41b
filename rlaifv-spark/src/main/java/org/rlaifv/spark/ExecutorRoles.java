package org.rlaifv.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models open in this JVM (an executor), shared by the tasks that run in it: each role is
 * opened lazily by the first task that needs it, kept open for the next tasks and stages that
 * describe the same role (the same {@linkplain org.rlaifv.core.loop.StageSpec#roleKey() key}:
 * backend, options and checkpoint directories), and closed when the executor stops ({@link
 * RolesPlugin}, or a shutdown hook when the plugin is not enabled).
 *
 * <p>Leases are reference-counted: a role is never closed while a task holds it. Roles are not
 * thread-safe, so a lease also gives its holder exclusive use: tasks of one executor that need the
 * same role take turns (give executors one core per model instance, see the cluster guide). When
 * a task opens a role of some kind ({@code "sampler"}, {@code "scorer"}), idle roles of the same
 * kind with another key are closed first: the previous iteration's policy is not needed again,
 * and one model per kind stays in memory.
 *
 * <pre>{@code
 * try (ExecutorRoles.Lease<ResponseSampler> lease =
 *     ExecutorRoles.acquire("sampler", spec.roleKey(), spec::openSampler)) {
 *   PromptResponses r = spec.sample(lease.role(), prompt);
 * }
 * }</pre>
 */
public final class ExecutorRoles {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorRoles.class);

  private static final Map<String, Entry> ROLES = new HashMap<>();
  private static boolean hookInstalled;

  private ExecutorRoles() {}

  /** One open (or opening) role; {@code refs} is guarded by {@code ROLES}, {@code role} by {@code use}. */
  private static final class Entry {
    final String kind;
    final String key;
    final ReentrantLock use = new ReentrantLock();
    int refs;
    AutoCloseable role;

    Entry(String kind, String key) {
      this.kind = kind;
      this.key = key;
    }
  }

  /**
   * The use of one open role by one task; closing it releases the role for the next task (the role
   * itself stays open).
   *
   * @param <T> the role's type
   */
  public static final class Lease<T extends AutoCloseable> implements AutoCloseable {
    private final Entry entry;
    private final T role;
    private boolean released;

    private Lease(Entry entry, T role) {
      this.entry = entry;
      this.role = role;
    }

    /**
     * Returns the role, for use by the holder until the lease is closed.
     *
     * @return the open role
     */
    public T role() {
      return role;
    }

    /** Releases the role (idempotent). */
    @Override
    public void close() {
      if (released) {
        return;
      }
      released = true;
      entry.use.unlock();
      synchronized (ROLES) {
        entry.refs--;
      }
    }
  }

  /**
   * Leases the role with the given key, opening it when no task of this JVM has.
   *
   * @param kind the kind of role ({@code "sampler"}, {@code "scorer"}): idle roles of the same kind
   *     with another key are closed before a new one is opened
   * @param key what identifies the role (a stage spec's role key)
   * @param opener opens the role; called at most once per key while the role stays open
   * @param <T> the role's type
   * @return the lease, closed by the caller
   * @throws RuntimeException whatever {@code opener} throws (the next task tries again)
   */
  @SuppressWarnings("unchecked")
  public static <T extends AutoCloseable> Lease<T> acquire(String kind, String key,
      Supplier<? extends T> opener) {
    Entry entry;
    List<Entry> stale = new ArrayList<>();
    synchronized (ROLES) {
      installHook();
      entry = ROLES.get(key);
      if (entry == null) {
        for (Entry e : ROLES.values()) {
          if (e.kind.equals(kind) && e.refs == 0) {
            stale.add(e);
          }
        }
        for (Entry e : stale) {
          ROLES.remove(e.key);
        }
        entry = new Entry(kind, key);
        ROLES.put(key, entry);
      }
      entry.refs++;
    }
    for (Entry e : stale) {
      closeQuietly(e);
    }
    entry.use.lock();
    try {
      if (entry.role == null) {
        LOG.info("opening {} {}", kind, key);
        entry.role = opener.get();
      }
      return new Lease<>(entry, (T) entry.role);
    } catch (RuntimeException | Error e) {
      entry.use.unlock();
      synchronized (ROLES) {
        entry.refs--;
      }
      throw e;
    }
  }

  /**
   * Returns how many roles are open or being opened in this JVM.
   *
   * @return the count
   */
  public static int openCount() {
    synchronized (ROLES) {
      return ROLES.size();
    }
  }

  /**
   * Closes every role of this JVM. Called when the executor stops; a role still leased is closed
   * when its holder finishes, since nothing can use it afterwards.
   */
  public static void closeAll() {
    List<Entry> all;
    synchronized (ROLES) {
      all = new ArrayList<>(ROLES.values());
      ROLES.clear();
    }
    for (Entry e : all) {
      closeQuietly(e);
    }
  }

  private static void closeQuietly(Entry e) {
    e.use.lock();
    try {
      if (e.role != null) {
        LOG.info("closing {} {}", e.kind, e.key);
        e.role.close();
        e.role = null;
      }
    } catch (Exception ex) {
      LOG.warn("closing {} {} failed: {}", e.kind, e.key, ex.toString());
    } finally {
      e.use.unlock();
    }
  }

  private static void installHook() {
    if (!hookInstalled) {
      hookInstalled = true;
      Runtime.getRuntime().addShutdownHook(
          new Thread(ExecutorRoles::closeAll, "rlaifv-executor-roles-close"));
    }
  }
}
