package io.coop.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.coop.junit.races.LostUpdateDemo;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs two demonstrations' tests in a JVM started without -javaagent: @CoopTest attaches coop itself. */
public final class SelfAttachMain {
    public static void main(String[] args) {
        Events fifo = EngineTestKit.engine("junit-jupiter").selectors(selectMethod(LostUpdateDemo.class, "firstInFirstOut")).execute().testEvents();
        Events seeded = EngineTestKit.engine("junit-jupiter").selectors(selectMethod(LostUpdateDemo.class, "seeded")).execute().testEvents();
        System.out.println("RESULT fifoPassed=" + fifo.succeeded().count() + " seededRuns=" + seeded.finished().count()
                + " seededFailed=" + seeded.failed().count() + " agent=" + io.coop.agent.CoopAgent.isInstalled());
    }
}
