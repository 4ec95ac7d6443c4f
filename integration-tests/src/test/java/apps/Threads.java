package apps;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Plain thread helpers the programs share (nothing of coop): start N named threads running a
 * task that may throw, wait for them all, and keep the first failures for the RESULT line.
 *
 * <pre>{@code
 * Threads.Failures f = new Threads.Failures();
 * Threads.runAll(50, "pg-client", i -> query(i), f);
 * }</pre>
 */
public final class Threads {
    private Threads() {
    }

    /** A task numbered 0..N-1 that may throw. */
    public interface Task {
        void run(int i) throws Exception;
    }

    /** Failures seen by any thread (printed as they happen, counted on the RESULT line). */
    public static final class Failures {
        private final Queue<String> seen = new ConcurrentLinkedQueue<>();

        public void add(String who, Throwable e) {
            seen.add(who + ": " + e);
            System.out.println("FAILURE " + who + ": " + e);
            e.printStackTrace(System.out);
        }

        public int count() {
            return seen.size();
        }
    }

    /** Starts {@code n} threads named {@code name-i}, each running {@code task.run(i)}, and waits for all of them. */
    public static void runAll(int n, String name, Task task, Failures failures) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    task.run(id);
                } catch (Throwable e) {
                    failures.add(name + "-" + id, e);
                }
            }, name + "-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
    }

    /**
     * The names of live platform (OS) threads whose name starts with one of the prefixes: a
     * client's own threads show up here when they are real threads, not when they run as
     * greenlets (virtual threads are not listed by Thread.getAllStackTraces).
     */
    public static Set<String> platformThreads(String... prefixes) {
        Set<String> names = new TreeSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            for (String p : prefixes) {
                if (t.getName().startsWith(p)) names.add(t.getName().replace(' ', '_'));
            }
        }
        return names;
    }

    /** "none", or how many platform threads {@link #platformThreads} finds and the first few names. */
    public static String describePlatformThreads(String... prefixes) {
        Set<String> names = platformThreads(prefixes);
        if (names.isEmpty()) return "none";
        StringBuilder b = new StringBuilder().append(names.size()).append(':');
        int k = 0;
        for (String name : names) {
            if (k == 3) {
                b.append(",...");
                break;
            }
            b.append(k++ > 0 ? "," : "").append(name);
        }
        return b.toString();
    }
}
