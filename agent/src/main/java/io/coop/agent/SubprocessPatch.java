package io.coop.agent;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.List;

import io.coop.AgentSupport;

/**
 * The {@code subprocess} area: reading a process's output ({@code Process.getInputStream()},
 * {@code getErrorStream()}, and any other pipe, FIFO or terminal read through a
 * {@code FileInputStream}, {@code System.in} included) in a greenlet first waits on the hub
 * until the pipe has data or is closed, then lets the JDK read, so the read does not block the
 * hub's OS thread. Regular files are read as before.
 *
 * <p>{@code Process.waitFor()}, {@code waitFor(timeout)} and {@code onExit()} need no patch:
 * they wait on a {@code java.util.concurrent} lock and future, which park the greenlet (and
 * with the {@code time} area their timeouts are hub timers).
 *
 * <p>JDK targets: {@code java.io.FileInputStream.read()}, {@code read(byte[])},
 * {@code read(byte[], int, int)}.
 *
 * <pre>{@code
 * Process p = new ProcessBuilder("sleep", "1").start();
 * p.waitFor();     // 5 threads doing this: about 1 s in all, on one OS thread
 * }</pre>
 */
public final class SubprocessPatch implements Patch {
    /** FileInputStream's and FileDescriptor's internals, looked up on first use. */
    private static final class Internals {
        static final MethodHandle IS_REGULAR_FILE;
        static final VarHandle FD;

        static {
            try {
                IS_REGULAR_FILE = MethodHandles.privateLookupIn(FileInputStream.class, MethodHandles.lookup())
                        .findVirtual(FileInputStream.class, "isRegularFile", MethodType.methodType(boolean.class));
                FD = MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup())
                        .findVarHandle(FileDescriptor.class, "fd", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    @Override
    public String area() {
        return "subprocess";
    }

    @Override
    public List<Target> targets(int jdk) {
        String f = "java.io.FileInputStream";
        return List.of(
                new Target(f, "read", "()I", "beforeRead"),
                new Target(f, "read", "([B)I", "beforeRead1"),
                new Target(f, "read", "([BII)I", "beforeRead3"));
    }

    @Override
    public void prepare() throws ReflectiveOperationException {
        if (!AgentSupport.canAwaitFd()) throw new IllegalStateException("this platform has no epoll for the hub");
        FileInputStream.class.getDeclaredMethod("isRegularFile");
        ThreadPatch.checkField(FileDescriptor.class, "fd", int.class);
    }

    /** FileInputStream.read of a greenlet from a pipe: wait on the hub until it is readable (the JDK then reads). */
    static Object beforeRead(Object stream) throws Throwable {
        if (!Callers.inCoop()) return null;
        FileInputStream in = (FileInputStream) stream;
        if ((boolean) Internals.IS_REGULAR_FILE.invokeExact(in)) return null;
        int fd = (int) Internals.FD.get(in.getFD());
        if (fd < 0) return null; // closed: the JDK's read says so
        AgentSupport.awaitFd(fd, AgentSupport.POLLIN, 0, null);
        return null;
    }
}
