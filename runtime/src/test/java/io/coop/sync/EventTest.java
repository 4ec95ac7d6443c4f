package io.coop.sync;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.Hub;
import io.coop.LoopExit;
import io.coop.testing.AbstractWaitContractTest;
import io.coop.testing.Elapsed;
import io.coop.testing.LogCapture;
import io.coop.testing.OsThread;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event.await under the wait contract, and Event's own behaviour. */
class EventTest extends AbstractWaitContractTest {
    private Event event;

    @Override
    protected void prepare() {
        event = new Event();
    }

    @Override
    protected Object waitFor(Duration timeout) {
        return timeout == null ? event.await() : event.await(timeout);
    }

    @Override
    protected Class<? extends RuntimeException> ownTimeout() {
        return null;
    }

    @Override
    protected Object release() {
        event.set();
        return Boolean.TRUE;
    }

    @Override
    protected void assertConsistent() {
        assertTrue(event.isSet());
        assertEquals(0, event.waiterCount());
    }

    @Override
    protected String waitedFor() {
        return "Event.await on";
    }

    // ---------------------------------------------------------------- Event's own behaviour

    @Test
    void setWakesEveryWaiterInTheOrderTheyCameWithoutSwitching() {
        inHub(() -> {
            Event e = new Event();
            List<String> log = new ArrayList<>();
            List<Greenlet<?>> gs = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                gs.add(spawnRecorded(() -> {
                    e.await();
                    log.add(name);
                    return null;
                }));
            }
            Coop.sleep(0);
            assertEquals(3, e.waiterCount());
            e.set();
            log.add("set returned");
            Coop.joinAll(gs);
            assertEquals(List.of("set returned", "a", "b", "c"), log);
            assertEquals(0, e.waiterCount());
        });
    }

    @Test
    void awaitOnASetEventReturnsAtOnceAndClearMakesLaterWaitersWait() {
        inHub(() -> {
            Event e = new Event();
            e.set();
            assertTrue(e.isSet());
            assertTrue(e.await());
            assertTrue(e.await(Duration.ZERO));
            e.clear();
            assertFalse(e.isSet());
            Elapsed start = new Elapsed();
            assertFalse(e.await(Duration.ofMillis(100)));
            assertTook(100, start.millis(), "await(100 ms) on a cleared event");
        });
    }

    @Test
    void aWaiterWokenBySetReturnsTrueEvenIfClearedBeforeItRuns() {
        inHub(() -> {
            Event e = new Event();
            Greenlet<Boolean> g = Coop.spawn(() -> e.await(Duration.ofSeconds(5)));
            Coop.sleep(0);
            e.set();
            e.clear();
            g.join();
            assertEquals(Boolean.TRUE, g.value());
            assertFalse(e.isSet());
        });
    }

    @Test
    void listenersRunAsHubCallbacksInTheOrderAddedOnce() {
        inHub(() -> {
            Event e = new Event();
            List<String> log = new ArrayList<>();
            Runnable removed = () -> log.add("removed one ran");
            e.addReadyListener(() -> log.add("first"));
            e.addReadyListener(removed);
            e.addReadyListener(() -> log.add("second"));
            e.removeReadyListener(removed);
            e.set();
            log.add("set returned");
            Coop.sleep(0);
            assertEquals(List.of("set returned", "first", "second"), log);
            e.clear();
            e.set();
            Coop.sleep(0);
            assertEquals(3, log.size(), "a listener runs once: " + log);
            e.addReadyListener(() -> log.add("added while set"));
            assertEquals(3, log.size(), "not run inside addReadyListener");
            Coop.sleep(0);
            assertEquals("added while set", log.get(3));
        });
    }

    @Test
    void aListenerThatBlocksFailsAndIsReportedWithoutHurtingTheOthers() {
        try (LogCapture logs = new LogCapture()) {
            inHub(() -> {
                Event e = new Event();
                List<String> log = new ArrayList<>();
                e.addReadyListener(() -> Coop.sleep(10));
                e.addReadyListener(() -> log.add("after"));
                e.set();
                Coop.sleep(0);
                assertEquals(List.of("after"), log);
            });
            assertTrue(logs.snapshot().stream().anyMatch(r -> r.getMessage().contains("ready listener")
                    && r.getThrown() instanceof IllegalStateException), "the failure was reported");
        }
    }

    @Test
    void waitAllAndIwaitTakeEvents() {
        inHub(() -> {
            Event a = new Event(), b = new Event(), c = new Event();
            Coop.spawn(() -> { Coop.sleep(60); a.set(); });
            Coop.spawn(() -> { Coop.sleep(20); c.set(); });
            List<Event> ready = Coop.waitAll(List.of(a, b, c), Duration.ofMillis(500), 2);
            assertEquals(List.of(c, a), ready);
        });
    }

    @Test
    void setFromAnotherThreadWakesTheWaiter() throws Exception {
        inHub(() -> {
            Event e = new Event();
            Hub.KeepAlive alive = Coop.hub().keepAlive();
            String hubThread = OsThread.id();
            String[] setter = new String[1];
            Thread t = new Thread(() -> {
                try (alive) {
                    Thread.sleep(50);
                    setter[0] = OsThread.id();
                    e.set();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            Elapsed start = new Elapsed();
            t.start();
            assertTrue(e.await());
            assertTook(50, start.millis(), "await until another thread sets");
            t.join();
            assertTrue(!setter[0].equals(hubThread), "the setter really was another OS thread");
            assertEquals(hubThread, OsThread.id());
        });
    }

    @Test
    void awaitingAnEventNobodyCanSetIsALoopExitNamingIt() {
        LoopExit exit = assertThrows(LoopExit.class, () -> inHub(() -> new Event().await()));
        assertTrue(exit.getMessage().contains("Event.await"), exit.getMessage());
    }

    @Test
    void awaitFromAForeignThreadIsRejected() throws Exception {
        inHub(() -> {
            Event e = new Event();
            Throwable[] thrown = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    e.await(Duration.ofMillis(10));
                } catch (Throwable x) {
                    thrown[0] = x;
                }
            });
            t.start();
            t.join();
            assertTrue(thrown[0] instanceof IllegalStateException, "got " + thrown[0]);
        });
    }

    @Test
    void badArguments() {
        inHub(() -> {
            Event e = new Event();
            assertThrows(NullPointerException.class, () -> e.addReadyListener(null));
            assertThrows(IllegalArgumentException.class, () -> e.await(Duration.ofSeconds(-1)));
        });
    }
}
