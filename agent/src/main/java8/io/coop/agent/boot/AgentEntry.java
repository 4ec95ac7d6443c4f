package io.coop.agent.boot;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The agent's entry point named in coop.jar's manifest ({@code Premain-Class}, {@code Agent-Class},
 * {@code Launcher-Agent-Class}). It is compiled for Java 8 so that any JVM can load it: on a JDK
 * older than 21, which cannot load coop's classes, it prints one sentence and leaves the
 * application to run unpatched (or exits with {@code coop.onUnsupported=fail}); otherwise it hands
 * over to {@code io.coop.agent.CoopAgent}, which says the same on JDK 21 to 23.
 *
 * <pre>{@code
 * java -javaagent:coop.jar=socket,time,-thread,verbose -jar app.jar
 * }</pre>
 */
public final class AgentEntry {
    private AgentEntry() {
    }

    /** {@code -javaagent:coop.jar[=options]}. */
    public static void premain(String options, Instrumentation inst) {
        start(options, inst, "premain");
    }

    /** Dynamic attach (what {@code Monkey.patchAll()} does when the agent is not loaded). */
    public static void agentmain(String options, Instrumentation inst) {
        start(options, inst, "agentmain");
    }

    private static void start(String options, Instrumentation inst, String how) {
        int feature = featureVersion();
        if (feature < 21) {
            unsupported("coop: this JVM is Java " + System.getProperty("java.version")
                    + ", coop needs JDK 21 or newer (its agent JDK 24 or newer); the application runs without coop's patches.");
            return;
        }
        try {
            Class<?> agent = Class.forName("io.coop.agent.CoopAgent");
            Method m = agent.getMethod("start", String.class, Instrumentation.class, String.class);
            m.invoke(null, options, inst, how);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            if (cause instanceof Error) throw (Error) cause;
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("coop.jar is incomplete: " + e, e);
        }
    }

    private static int featureVersion() {
        String v = System.getProperty("java.specification.version", "0");
        if (v.startsWith("1.")) v = v.substring(2);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void unsupported(String sentence) {
        System.err.println(sentence);
        String mode = System.getProperty("coop.onUnsupported");
        if (mode == null) mode = System.getenv("COOP_ONUNSUPPORTED");
        if (mode != null && mode.trim().equalsIgnoreCase("fail")) {
            System.exit(1);
        }
    }
}
