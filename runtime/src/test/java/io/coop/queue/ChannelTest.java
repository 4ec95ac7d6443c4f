package io.coop.queue;

import io.coop.Coop;
import io.coop.Greenlet;
import org.junit.jupiter.api.Nested;
import io.coop.testing.Elapsed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Channel.get under the wait contract (and, nested, Channel.put), and the rendezvous. */
class ChannelTest extends QueueGetContract {

    @Override
    Queue<String> newQueue() {
        return new Channel<>();
    }

    @Nested
    class Put extends QueuePutContract {
        @Override
        Queue<String> newQueue(int maxsize) {
            return new Channel<>();
        }
    }

    @Test
    void holdsNothing() {
        inHub(() -> {
            Channel<String> ch = new Channel<>();
            assertEquals(0, ch.size());
            assertEquals(0, ch.maxsize());
            assertTrue(ch.isEmpty());
            assertTrue(ch.isFull());
            assertThrows(Full.class, () -> ch.putNowait("x"), "no getter waits");
            assertThrows(Full.class, () -> ch.put("x", Duration.ZERO));
            assertThrows(Empty.class, ch::getNowait, "no putter waits");
            assertThrows(Empty.class, ch::peekNowait);
        });
    }

    @Test
    void putWaitsUntilAGetTakesTheItem() {
        inHub(() -> {
            Channel<String> ch = new Channel<>();
            long[] took = new long[1];
            Greenlet<?> putter = spawnRecorded(() -> {
                Elapsed start = new Elapsed();
                ch.put("hi");
                took[0] = start.millis();
                return null;
            });
            Coop.sleep(100);
            assertFalse(putter.isReady());
            assertEquals(1, ch.putterCount());
            assertEquals("hi", ch.peekNowait());
            assertEquals("hi", ch.get());
            putter.join();
            assertTook(100, took[0], "put until a get came");
        });
    }

    /** gevent's test_send: the main greenlet puts, another gets; each put returns after its getter ran. */
    @Test
    void rendezvousOrderWhenTheGetterWaitsFirst() {
        inHub(() -> {
            Channel<String> ch = new Channel<>();
            List<String> events = new ArrayList<>();
            Greenlet<?> g = spawnRecorded(() -> {
                events.add(ch.get());
                events.add(ch.get());
                return null;
            });
            events.add("sending");
            ch.put("hello");
            events.add("sent hello");
            ch.put("world");
            events.add("sent world");
            assertEquals(List.of("sending", "hello", "sent hello", "world", "sent world"), events);
            g.join();
        });
    }

    /** gevent's test_wait: another greenlet puts, the main greenlet gets. */
    @Test
    void rendezvousOrderWhenThePutterComesToAWaitingGetter() {
        inHub(() -> {
            Channel<String> ch = new Channel<>();
            List<String> events = new ArrayList<>();
            Greenlet<?> g = spawnRecorded(() -> {
                events.add("sending hello");
                ch.put("hello");
                events.add("sending world");
                ch.put("world");
                events.add("sent world");
                return null;
            });
            events.add("waiting");
            events.add(ch.get());
            events.add(ch.get());
            assertEquals(List.of("waiting", "sending hello", "hello", "sending world", "world"), events);
            Coop.sleep(0);
            assertEquals(List.of("waiting", "sending hello", "hello", "sending world", "world", "sent world"), events);
            g.join();
        });
    }

    @Test
    void putNowaitAndZeroTimeoutPutSucceedOnlyWithAGetterWaiting() {
        inHub(() -> {
            Channel<Integer> ch = new Channel<>();
            List<Greenlet<Integer>> getters = new ArrayList<>();
            for (int i = 0; i < 2; i++) getters.add(Coop.spawn(() -> ch.get()));
            Coop.sleep(0);
            ch.putNowait(1);
            ch.put(2, Duration.ZERO);
            assertThrows(Full.class, () -> ch.putNowait(3));
            Coop.joinAll(getters);
            assertEquals(List.of(1, 2), List.of(getters.get(0).value(), getters.get(1).value()));
        });
    }

    @Test
    void puttersAndGettersPairFirstInFirstOut() {
        inHub(() -> {
            Channel<String> ch = new Channel<>();
            List<Greenlet<?>> putters = new ArrayList<>();
            for (String s : List.of("a", "b", "c")) putters.add(spawnRecorded(() -> { ch.put(s); return null; }));
            Coop.sleep(0);
            assertEquals(3, ch.putterCount());
            assertEquals("a", ch.getNowait());
            assertEquals("b", ch.get());
            assertEquals("c", ch.get(Duration.ZERO));
            Coop.joinAll(putters);
            for (Greenlet<?> p : putters) assertTrue(p.isSuccessful());
        });
    }

    /**
     * A blocking put that finds a getter waiting joins the line and is paired by a hub callback.
     * A kill that reaches the putter before that callback runs does not undo the hand-off: the
     * getter gets the item exactly once, the put returns, and the kill is raised at the putter's
     * next blocking point.
     */
    @Test
    void aKillArrivingWithThePairingDeliversTheItemOnce() {
        inHub(() -> {
            Channel<String> ch = new Channel<>();
            Greenlet<String> getter = spawnRecorded(() -> ch.get());
            Coop.sleep(0);
            List<String> events = new ArrayList<>();
            Greenlet<?> putter = spawnRecorded(() -> {
                try {
                    ch.put("item");
                    events.add("put returned");
                    Coop.sleep(10_000);
                    return null;
                } finally {
                    events.add("finally");
                }
            });
            // runs right after the putter, in the same pass, before the pairing callback
            Greenlet<?> killer = spawnRecorded(() -> {
                events.add("killing, putters waiting: " + ch.putterCount());
                putter.kill();
                return null;
            });
            Coop.joinAll(List.of(getter, putter, killer));
            assertEquals(List.of("killing, putters waiting: 1", "put returned", "finally"), events);
            assertEquals("item", getter.value());
            assertTrue(putter.value() instanceof io.coop.GreenletExit);
            assertEquals(0, ch.putterCount());
            assertEquals(0, ch.getterCount());
            assertThrows(Empty.class, ch::getNowait);
        });
    }

    @Test
    void aPutterThatTimesOutBeforeAGetterComesDeliversNothing() {
        inHub(() -> {
            Channel<String> ch = new Channel<>();
            assertThrows(Full.class, () -> ch.put("late", Duration.ofMillis(20)));
            Greenlet<Object> getter = Coop.spawn(() -> {
                try {
                    return ch.get(Duration.ofMillis(50));
                } catch (Empty e) {
                    return e;
                }
            });
            getter.join();
            assertTrue(getter.value() instanceof Empty, "nothing was left for a later getter: " + getter.value());
        });
    }
}
