package org.rlaifv.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The executor's model holder: opened lazily once per key, shared, replaced, closed at the end. */
class ExecutorRolesTest {
  private final List<String> events = new ArrayList<>();

  private final class Role implements AutoCloseable {
    final String name;

    Role(String name) {
      this.name = name;
      events.add("open " + name);
    }

    @Override
    public void close() {
      events.add("close " + name);
    }
  }

  @AfterEach
  void clear() {
    ExecutorRoles.closeAll();
  }

  @Test
  void aRoleIsOpenedOnceAndKeptForTheNextTasks() {
    Role first;
    try (ExecutorRoles.Lease<Role> a = ExecutorRoles.acquire("sampler", "p1", () -> new Role("p1"))) {
      first = a.role();
    }
    try (ExecutorRoles.Lease<Role> b = ExecutorRoles.acquire("sampler", "p1", () -> new Role("x"))) {
      assertSame(first, b.role());
    }
    assertEquals(List.of("open p1"), events);
    assertEquals(1, ExecutorRoles.openCount());
  }

  @Test
  void aNewRoleOfTheSameKindReplacesAnIdleOneButNotABusyOneOrAnotherKind() {
    ExecutorRoles.acquire("scorer", "labeler", () -> new Role("labeler")).close();
    ExecutorRoles.Lease<Role> busy = ExecutorRoles.acquire("sampler", "p1", () -> new Role("p1"));
    ExecutorRoles.acquire("sampler", "p2", () -> new Role("p2")).close();
    assertEquals(List.of("open labeler", "open p1", "open p2"), events, "p1 is leased: kept");
    busy.close();
    ExecutorRoles.acquire("sampler", "p3", () -> new Role("p3")).close();
    assertTrue(events.containsAll(List.of("close p1", "close p2", "open p3")), events.toString());
    assertTrue(!events.contains("close labeler"), "the scorer stays open");
    ExecutorRoles.closeAll();
    assertTrue(events.contains("close labeler") && events.contains("close p3"), events.toString());
    assertEquals(0, ExecutorRoles.openCount());
  }

  @Test
  void aFailedOpenIsRetriedByTheNextTask() {
    AtomicInteger tries = new AtomicInteger();
    assertThrows(IllegalStateException.class, () -> ExecutorRoles.acquire("scorer", "k", () -> {
      tries.incrementAndGet();
      throw new IllegalStateException("model not readable on this node");
    }));
    try (ExecutorRoles.Lease<Role> l = ExecutorRoles.acquire("scorer", "k", () -> {
      tries.incrementAndGet();
      return new Role("k");
    })) {
      assertEquals("k", l.role().name);
    }
    assertEquals(2, tries.get());
  }

  @Test
  void leasesGiveExclusiveUse() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < 50; i++) {
          try (ExecutorRoles.Lease<Role> l =
              ExecutorRoles.acquire("sampler", "shared", () -> new Role("shared"))) {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            Thread.yield();
            inside.decrementAndGet();
          }
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertEquals(1, most.get());
    assertEquals(1, events.stream().filter(e -> e.startsWith("open")).count());
  }
}
