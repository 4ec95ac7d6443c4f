package io.coop.agent;

import io.coop.Config;
import io.coop.Hub;
import io.coop.HubGroup;

/**
 * The hubs an unmodified application's threads run on, with {@code hubs=N} ({@code coop.hubs}):
 * the hub that main drives and {@code N - 1} more, one OS thread each. An application thread is
 * placed on the next hub in turn when it starts and never moves. With N = 1 (the default)
 * there is no group and every thread runs on main's hub: one OS thread for the whole program.
 *
 * <pre>{@code
 * java -javaagent:coop.jar=hubs=2 -jar server.jar    // connections' threads spread over 2 hubs
 * }</pre>
 */
public final class AppHubs {
    private static volatile HubGroup group;

    private AppHubs() {
    }

    /**
     * Called on the thread that becomes the program's hub (the agent's main, a patchAll caller):
     * starts the other hubs when {@code coop.hubs} asks for more than one.
     *
     * @throws IllegalArgumentException for a bad count, or more than one hub with a seed
     */
    public static synchronized void startIfAsked() {
        int n = Config.integer("hubs", 1, 1);
        if (n == 1 || group != null) return;
        Hub own = Hub.current();
        if (own.schedule().seed().isPresent()) {
            throw new IllegalArgumentException("coop.hubs=" + n + " cannot be combined with a seed (coop.seed): a seeded"
                    + " schedule replays the order of one hub; run seeds with hubs=1");
        }
        group = HubGroup.includingCurrent(n);
        CoopAgent.trace(n + " hubs");
    }

    /** Where an application thread starting now goes: {@code own} (the hub it would go to alone), or the next hub in turn. */
    static Hub place(Hub own) {
        HubGroup g = group;
        return g == null || !g.contains(own) ? own : g.next();
    }

    /** True when {@code a} and {@code b} are the same hub or hubs of the application's group. */
    static boolean sameProgram(Hub a, Hub b) {
        if (a == b) return true;
        HubGroup g = group;
        return g != null && g.contains(a) && g.contains(b);
    }
}
