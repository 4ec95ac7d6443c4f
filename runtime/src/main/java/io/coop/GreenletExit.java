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

    /** The exception {@link Greenlet#kill()} raises: "greenlet killed". */
    public GreenletExit() {
        super("greenlet killed");
    }

    /** A GreenletExit saying why the greenlet is being stopped. */
    public GreenletExit(String message) {
        super(message);
    }
}
