package io.coop;

/**
 * Raised in the waiting greenlet when a wait can never end: every greenlet is blocked on a coop
 * primitive, and no timer, socket, offloaded task or other thread can wake any of them. The
 * message names what each one waits for. coop never hangs silently on such a wait.
 *
 * <pre>{@code
 * Coop.run(() -> new Queue<String>().get());   // LoopExit: main waits for Queue.get, nothing can wake it
 * }</pre>
 */
public class LoopExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A LoopExit whose message names what each waiting greenlet waits for. */
    public LoopExit(String message) {
        super(message);
    }
}
