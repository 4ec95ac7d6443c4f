package io.coop.agent;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import io.coop.Greenlet;
import io.coop.Hub;

/**
 * Under {@code -javaagent}, makes the JVM main thread the hub and runs the application's
 * {@code main} as the main greenlet (a greenlet named "main"): a small advice at the start of
 * the main class's {@code main} method re-invokes it inside the greenlet and lets the hub drive
 * it. When {@code main} returns, the hub keeps running until no non-daemon application thread
 * is left, as the JVM would wait for them; an exception from {@code main} leaves it exactly as
 * it would without coop ("Exception in thread "main"", exit status 1).
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp app.jar com.example.Main   // main runs as a greenlet
 * }</pre>
 */
public final class MainRunner {
    private static volatile Thread launcherThread;
    private static volatile String mainClassName;
    private static volatile boolean ran;

    private MainRunner() {
    }

    /** The targets to weave into the main class when it loads. */
    static List<Target> targets(String mainClass) {
        return List.of(new Target(mainClass, "main", "([Ljava/lang/String;)V", "runMain"));
    }

    /** Remembers the launcher thread and the main class (null if it cannot be told). */
    static void prepare(Thread launcher) {
        launcherThread = launcher;
        mainClassName = findMainClass();
    }

    static String mainClassName() {
        return mainClassName;
    }

    /** The main class the launcher will run: from sun.java.command (a class, module/class, or a jar's Main-Class). */
    static String findMainClass() {
        String cmd = System.getProperty("sun.java.command");
        if (cmd == null || cmd.isBlank()) return null;
        String first = cmd.trim();
        int space = first.indexOf(' ');
        if (space > 0) first = first.substring(0, space);
        if (first.endsWith(".jar") || Files.isRegularFile(Path.of(first))) {
            try (JarFile jar = new JarFile(first)) {
                Manifest m = jar.getManifest();
                String main = m == null ? null : m.getMainAttributes().getValue("Main-Class");
                return main == null ? null : main.trim();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        int slash = first.indexOf('/');
        if (slash >= 0) first = first.substring(slash + 1);
        if (first.startsWith("jdk.") || first.startsWith("com.sun.tools.")) return null; // source launcher etc.
        return first;
    }

    /** Hook: the main class's main(String[]) starts; true when it ran (as a greenlet) and is over. */
    static Object runMain(Class<?> mainClass, String[] args) throws Throwable {
        Thread me = Thread.currentThread();
        if (ran || me != launcherThread || me.isVirtual()) return null;
        ran = true;
        CoopAgent.trace("main starts");
        Hub hub = Hub.current();
        AppHubs.startIfAsked();
        MethodHandle main = MethodHandles.privateLookupIn(mainClass, MethodHandles.lookup())
                .findStatic(mainClass, "main", MethodType.methodType(void.class, String[].class));
        MainBody body = new MainBody(main, args);
        Greenlet<Object> g = new Greenlet<>(body);
        g.setName(me.getName());
        g.start();
        CoopAgent.trace("main greenlet made");
        ThreadPatch.standFor(g.thread(), me); // threads made by main inherit main's daemon status and group
        g.join();
        Throwable t = body.failure;
        CoopAgent.trace("main returned");
        if (t == null) {
            try {
                ThreadPatch.awaitNonDaemon(hub);
            } finally {
                Callers.removeDriver(me);
            }
            return Boolean.TRUE;
        }
        // main failed: the launcher reports it as usual; the main thread stays a hub driver, so
        // Thread.exit (patched) keeps running the other non-daemon threads afterwards
        if (t instanceof InvocationTargetException ite && ite.getCause() != null) t = ite.getCause();
        throw t;
    }

    /** The main greenlet's body: main(args), keeping its failure for the launcher. */
    private static final class MainBody implements java.util.concurrent.Callable<Object> {
        private final MethodHandle main;
        private final String[] args;
        Throwable failure;

        MainBody(MethodHandle main, String[] args) {
            this.main = main;
            this.args = args;
        }

        @Override
        public Object call() {
            try {
                main.invokeExact(args);
            } catch (Throwable t) {
                failure = t;
            }
            return null;
        }
    }
}
