package io.coop.monkey;

import java.lang.instrument.Instrumentation;
import java.util.Objects;
import java.util.Set;

import io.coop.AgentSupport;
import io.coop.Config;
import io.coop.Hub;
import io.coop.agent.AppHubs;
import io.coop.agent.AreaChoice;
import io.coop.agent.Callers;
import io.coop.agent.CoopAgent;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * gevent's {@code monkey.patch_all()} for the JVM: makes blocking JDK calls (sleeps, threads,
 * sockets, selectors, name lookups, processes) cooperative, for applications that cannot add
 * {@code -javaagent:coop.jar} to their command line. Call it as the first line of {@code main}:
 * the calling thread becomes the hub, its own code the hub's main greenlet, and the threads it
 * starts become greenlets on the same OS thread.
 *
 * <pre>{@code
 * public static void main(String[] args) throws Exception {
 *     Monkey.patchAll();                      // or patchAll(PatchOptions.all().without("dns"))
 *     ExecutorService pool = Executors.newFixedThreadPool(100);
 *     ...                                     // 100 greenlets on this thread
 * }
 * }</pre>
 *
 * <p>When coop.jar is already loaded as the agent, there is nothing to attach. Otherwise the JVM
 * attaches coop to itself; JDK 21+ prints its warning about dynamically loaded agents once, and
 * coop adds one line on how to avoid it ({@code -javaagent:coop.jar}, or
 * {@code -XX:+EnableDynamicAgentLoading}). Prefer {@code -javaagent}: there {@code main} itself
 * runs as a greenlet, so every JDK wait in it is cooperative; after {@code patchAll()},
 * {@code main}'s own {@code Object.wait} or a monitor contended with a greenlet that holds it
 * across a blocking call still blocks the OS thread (its {@code java.util.concurrent} waits,
 * sleeps, joins and socket calls do not).
 */
public final class Monkey {
    private Monkey() {
    }

    /** Patches every area (or those of {@code coop.patch}, in the agent's option syntax). */
    public static void patchAll() {
        String configured = Config.get("patch");
        patchAll(PatchOptions.parse(configured));
    }

    /**
     * Patches the areas of {@code options}. If the JDK lacks what an area needs, nothing is
     * patched and one sentence on stderr says why (with {@code coop.onUnsupported=fail} an
     * {@link IllegalStateException} is thrown instead). Later calls add nothing.
     */
    public static synchronized void patchAll(PatchOptions options) {
        Objects.requireNonNull(options, "options");
        if (!CoopAgent.isInstalled()) {
            Instrumentation inst = attach();
            String problem = CoopAgent.install(inst, new AreaChoice(options.areas(), options.isVerbose()));
            if (problem != null) {
                String mode = Config.get("onUnsupported");
                if (mode != null && mode.trim().equalsIgnoreCase("fail")) throw new IllegalStateException(problem);
                System.err.println(problem);
                return;
            }
        }
        Thread me = Thread.currentThread();
        if (!me.isVirtual() && AgentSupport.currentGreenlet() == null) {
            Hub.current();          // this thread is the hub; its own code is the main greenlet
            Callers.addDriver(me);
            AppHubs.startIfAsked();
        }
    }

    /** True if {@code area} (socket, time, select, dns, thread, subprocess) is patched. */
    public static boolean isPatched(String area) {
        return CoopAgent.patchedAreas().contains(Objects.requireNonNull(area, "area"));
    }

    /** The patched areas, in the order they were applied; empty if none. */
    public static Set<String> patchedAreas() {
        return CoopAgent.patchedAreas();
    }

    private static Instrumentation attach() {
        boolean allowed = dynamicAgentsAllowed();
        try {
            Instrumentation inst = ByteBuddyAgent.install();
            if (!allowed) {
                System.err.println("coop: Monkey.patchAll() attached coop to this JVM; to avoid the warning above, start it with "
                        + "-javaagent:coop.jar (or -XX:+EnableDynamicAgentLoading)");
            }
            return inst;
        } catch (RuntimeException e) {
            throw new IllegalStateException("coop cannot attach itself to this JVM (" + e.getMessage()
                    + "); start it with -javaagent:coop.jar instead of calling Monkey.patchAll()", e);
        }
    }

    private static boolean dynamicAgentsAllowed() {
        try {
            var bean = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (bean == null) return false;
            var option = bean.getVMOption("EnableDynamicAgentLoading");
            // the JDK warns unless the flag was given explicitly
            return Boolean.parseBoolean(option.getValue()) && option.getOrigin() != com.sun.management.VMOption.Origin.DEFAULT;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
