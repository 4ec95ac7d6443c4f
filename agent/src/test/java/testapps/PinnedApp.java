package testapps;

import io.coop.Coop;
import io.coop.Timeout;
import io.coop.queue.Queue;
import io.coop.testsupport.Probe;
import io.coop.threadpool.ThreadPool;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Blocking calls inside static initializers, where a greenlet cannot unmount, while another
 * application thread ticks. One case per run (args[0]); prints what the initializer got and how
 * many ticks happened before and after it.
 */
public class PinnedApp {
    static final AtomicInteger TICKS = new AtomicInteger();
    static volatile boolean stop;

    public static void main(String[] args) throws Exception {
        Probe.start();
        Thread ticker = new Thread(() -> {
            while (!stop) {
                Probe.sleep(10);
                TICKS.incrementAndGet();
            }
        }, "ticker");
        ticker.setDaemon(true);
        ticker.start();
        Thread.sleep(50);
        int before = TICKS.get();
        long t0 = System.nanoTime();
        String got;
        try {
            got = switch (args[0]) {
                case "sleep" -> Sleep.GOT;
                case "socket" -> SocketRead.GOT;
                case "dns" -> Dns.GOT;
                case "process" -> ProcessRead.GOT;
                case "random" -> Random.GOT;
                case "queue" -> QueueFromGreenlet.GOT;
                case "queueTimeout" -> QueueWithTimeout.GOT;
                case "threadPool" -> PoolResult.GOT;
                case "select" -> SelectTimeout.GOT;
                case "join" -> JoinThread.GOT;
                default -> throw new IllegalArgumentException(args[0]);
            };
        } catch (ExceptionInInitializerError e) {
            Throwable c = e.getCause();
            got = "failed:" + c.getClass().getSimpleName() + ":" + String.valueOf(c.getMessage()).replace(' ', '_');
        }
        long initMs = (System.nanoTime() - t0) / 1_000_000;
        int during = TICKS.get() - before;
        Thread.sleep(100);
        int after = TICKS.get() - before - during;
        stop = true;
        Probe.result("got=" + got + " initMs=" + initMs + " ticksDuring=" + during + " ticksAfter=" + after);
    }

    static java.util.concurrent.Callable<Object> serving(ServerSocket server) {
        return () -> serveOneLine(server);
    }

    static Object serveOneLine(ServerSocket server) throws Exception {
        try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
            Thread.sleep(200);
            out.write("hello\n".getBytes());
        }
        return null;
    }

    static int slowAnswer() throws InterruptedException {
        Thread.sleep(200);
        return 42;
    }

    /** A select with a timeout on a pipe nobody writes: ends by its timeout. */
    static final class SelectTimeout {
        static final String GOT;

        static {
            try (java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
                java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
                pipe.source().configureBlocking(false);
                pipe.source().register(selector, java.nio.channels.SelectionKey.OP_READ);
                GOT = "selected" + selector.select(200);
                pipe.source().close();
                pipe.sink().close();
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        }
    }

    /** Joins a thread it started: under coop that thread is a greenlet of the same hub, which cannot run meanwhile. */
    static final class JoinThread {
        static final String GOT;

        static {
            Thread worker = new Thread(PinnedApp::workBriefly, "worker");
            worker.start();
            try {
                worker.join();
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            GOT = "joined";
        }
    }

    static void workBriefly() {
        Probe.sleep(200);
    }

    static final class Sleep {
        static final String GOT;

        static {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                throw new RuntimeException(e);
            }
            GOT = "slept";
        }
    }

    /** Reads a line from a server that runs on a real OS thread (a coop ThreadPool worker). */
    static final class SocketRead {
        static final String GOT;

        static {
            ThreadPool pool = new ThreadPool(1);
            try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                pool.spawn(serving(server)); // not a lambda of this class: a lambda's body would wait for its initialization
                try (Socket c = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    GOT = new BufferedReader(new InputStreamReader(c.getInputStream())).readLine();
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            } finally {
                pool.shutdown();
            }
        }
    }

    static final class Dns {
        static final String GOT;

        static {
            try {
                GOT = InetAddress.getByName("localhost").getHostAddress();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }
    }

    static final class ProcessRead {
        static final String GOT;

        static {
            try {
                Process p = new ProcessBuilder("sh", "-c", "sleep 0.2; echo hi").start();
                GOT = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
                p.waitFor();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }
    }

    /** What Tomcat's session manager and the NATS client do at start-up: seed a SecureRandom from the OS. */
    static final class Random {
        static final String GOT;

        static {
            try {
                byte[] seed = new SecureRandom().generateSeed(16);
                SecureRandom blocking = SecureRandom.getInstance("NativePRNGBlocking");
                blocking.nextBytes(new byte[8]);
                GOT = "seeded" + seed.length;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }
    }

    /** Only a greenlet of the same hub could put the item: this can never be served. */
    static final class QueueFromGreenlet {
        static final String GOT;

        static {
            Queue<String> q = new Queue<>(0);
            Coop.spawn(() -> q.put("item"));
            GOT = q.get();
        }
    }

    static final class QueueWithTimeout {
        static final String GOT;

        static {
            Queue<String> q = new Queue<>(0);
            String got;
            try (Timeout t = Timeout.startNew(Duration.ofMillis(200))) {
                got = q.get();
            } catch (Timeout e) {
                got = "timedOut";
            }
            GOT = got;
        }
    }

    /** Another OS thread (a coop ThreadPool worker) computes the value. */
    static final class PoolResult {
        static final String GOT;

        static {
            ThreadPool pool = new ThreadPool(1);
            try {
                GOT = String.valueOf(pool.spawn(PinnedApp::slowAnswer).get());
            } catch (java.util.concurrent.ExecutionException e) {
                throw new RuntimeException(e);
            } finally {
                pool.shutdown();
            }
        }
    }
}
