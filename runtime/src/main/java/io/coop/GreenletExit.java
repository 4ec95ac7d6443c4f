package io.coop;

/**
 * Raised inside a greenlet by {@link Greenlet#kill()}. A greenlet that ends with it counts as
 * successful, and its value is the {@code GreenletExit} itself (gevent's rule).
 *
 * <pre>{@code
 * Greenlet<?> g = Coop.spawn(() -> { try { Coop.sleep(10_000); } finally { cleanUp(); } });
 * g.kill();            // cleanUp() has run when kill() returns
 * }</pre>
 */
public class GreenletExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GreenletExit() {
        super("greenlet killed");
    }

    public GreenletExit(String message) {
        super(message);
    }
}
