package io.coop.agent;

import java.util.List;

import io.coop.AgentSupport;
import io.coop.Hub;

/**
 * The {@code select} area: {@code Selector.select()}, {@code select(timeout)} and the
 * {@code select(Consumer...)} forms called by a greenlet wait for the selector's own epoll
 * descriptor on the hub, so other greenlets run meanwhile; {@code wakeup()} from any greenlet or
 * thread ends the wait, as do the timeout and an interrupt. Every select form first passes the
 * hub's turn point ({@code Hub.yieldIfHeld}): a greenlet that has held the hub for 0.2 ms without
 * waiting gives every other ready greenlet one turn (gevent's {@code sleep(0)}).
 *
 * <p>JDK targets: {@code sun.nio.ch.Poller.pollSelector(int, long)} (JDK 22+: the park of a
 * virtual thread in {@code EPollSelectorImpl.doSelect}), {@code sun.nio.ch.SelectorImpl.lockAndDoSelect(Consumer, long)}
 * (every select form, for the turn).
 *
 * <pre>{@code
 * try (Selector sel = Selector.open()) {
 *     sel.select(300);          // 50 threads doing this: about 300 ms in all, one OS thread
 * }
 * }</pre>
 */
public final class SelectPatch implements Patch {

    @Override
    public String area() {
        return "select";
    }

    @Override
    public List<Target> targets(int jdk) {
        return List.of(new Target("sun.nio.ch.Poller", "pollSelector", "(IJ)V", "pollSelector"),
                new Target("sun.nio.ch.SelectorImpl", "lockAndDoSelect", "(Ljava/util/function/Consumer;J)I", "beforeSelect"));
    }

    @Override
    public void prepare() throws ReflectiveOperationException {
        if (!AgentSupport.canAwaitFd()) throw new IllegalStateException("this platform has no epoll for the hub");
    }


    /**
     * SelectorImpl.lockAndDoSelect, before each select of a greenlet: JDK 25's epoll selector
     * only parks (pollSelector) when nothing is ready, so an event loop whose keys are always
     * ready would never give the hub back. The turn point yields only for a long hold; a loop
     * whose selects wait pays a clock read.
     */
    static Object beforeSelect() {
        Hub.yieldIfHeld();
        return null;
    }

    // Poller.pollSelector: HooksImpl.pollSelector calls AgentSupport.pollFd itself (a greenlet
    // waits for the selector's descriptor on the hub), so no frame of this class is under the wait
}
