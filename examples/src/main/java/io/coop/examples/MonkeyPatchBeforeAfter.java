package io.coop.examples;

import io.coop.monkey.Monkey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tutorial: "Monkey patching", before and after. gevent replaces {@code socket.socket} and
 * {@code select.select} with its own, so printing them shows new objects. coop replaces no
 * class: the JDK's stay, and {@link Monkey#patchAll()} weaves a call to the hub into a few of
 * their methods. So the socket and selector classes print the same before and after; what
 * changes is the list of patched areas, and what a {@code new Thread(...)} runs on: after
 * patching, a virtual thread carried by this very OS thread, a greenlet. Needs coop.jar on the
 * class path.
 */
public final class MonkeyPatchBeforeAfter {

    public static void main(String[] args) throws Exception {
        show();
        System.out.println("After monkey patch");
        Monkey.patchAll();
        show();
    }

    static void show() throws Exception {
        try (SocketChannel socket = SocketChannel.open(); Selector select = Selector.open()) {
            System.out.println(socket.getClass());
            System.out.println(select.getClass());
        }
        System.out.println("patched areas: " + Monkey.patchedAreas());
        String main = osThread();
        String[] seen = new String[2];
        Thread t = new Thread(() -> {
            seen[0] = Thread.currentThread().getClass().getName();
            seen[1] = osThread();
        });
        t.start();
        t.join();
        System.out.println("new Thread(...) runs on a " + seen[0] + (seen[1].equals(main) ? ", on main's OS thread" : ", on an OS thread of its own"));
    }

    /** The kernel's id of the OS thread running the caller. */
    static String osThread() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
        } catch (Exception e) {
            return "?";
        }
    }
}
