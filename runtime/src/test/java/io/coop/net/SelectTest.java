package io.coop.net;

import static org.junit.jupiter.api.Assertions.*;

import io.coop.Coop;
import io.coop.testing.Elapsed;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelectTest {
    static Pipe pipe() throws Exception {
        Pipe p = Pipe.open();
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        return p;
    }

    @Test
    void reportsTheReadyChannelsAndTimesOutEmpty() {
        Coop.run(() -> {
            Pipe a = pipe(), b = pipe(), c = pipe();
            Elapsed t = new Elapsed();
            Select.Result none = Select.select(List.of(a.source(), b.source()), List.of(), Duration.ofMillis(200));
            assertTrue(none.isEmpty());
            assertTrue(t.millis() >= 150 && t.millis() < 1500, t.millis() + " ms");

            Coop.spawnLater(Duration.ofMillis(100), () -> {
                b.sink().write(ByteBuffer.wrap(new byte[] {1}));
                c.sink().write(ByteBuffer.wrap(new byte[] {2}));
                return null;
            });
            t = new Elapsed();
            Select.Result r = Select.select(List.of(a.source(), b.source(), c.source()), List.of(), Duration.ofSeconds(5));
            assertTrue(t.millis() >= 50 && t.millis() < 1500, t.millis() + " ms");
            assertEquals(List.of(b.source(), c.source()), r.readable(), "both written in one go are reported");

            Select.Result w = Select.select(List.of(a.source()), List.of(a.sink()), Duration.ZERO);
            assertEquals(List.of(a.sink()), w.writable(), "an empty pipe is writable at once");
            assertEquals(List.of(), w.readable());
            return null;
        });
    }

    @Test
    void rejectsBlockingChannelsAndNegativeTimeouts() {
        Coop.run(() -> {
            Pipe p = Pipe.open();
            assertThrows(IllegalArgumentException.class, () -> Select.select(List.of(p.source()), List.of(), Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> Select.select(List.of(), List.of(), Duration.ofMillis(-1)));
            assertThrows(NullPointerException.class, () -> Select.select(null, List.of(), null));
            return null;
        });
    }
}
