package io.coop.it;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Ends the suite's output with the list of scenarios that were skipped and why (a server that
 * is neither in a container nor on loopback), or says that none was. Registered for the JUnit
 * launcher through META-INF/services.
 *
 * <pre>{@code
 * [coop-it] 2 scenario(s) SKIPPED:
 * [coop-it]   RedisIT fiftyThreadsInBlpopThenSetGetAndPubSub(): RedisIT needs Redis: ...
 * }</pre>
 */
public final class SkipReport implements TestExecutionListener {
    private final List<String> skipped = new ArrayList<>();
    private int finished;

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        skipped.add(test.getDisplayName() + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (!test.isTest()) return;
        finished++;
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            String why = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
            skipped.add(test.getUniqueIdObject().getSegments().get(1).getValue().replace("io.coop.it.", "") + " " + test.getDisplayName() + ": " + why);
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (finished == 0 && skipped.isEmpty()) return;
        if (skipped.isEmpty()) {
            System.out.println("[coop-it] no scenario skipped (" + finished + " run)");
            return;
        }
        System.out.println("[coop-it] " + skipped.size() + " scenario(s) SKIPPED:");
        for (String s : skipped) System.out.println("[coop-it]   " + s);
    }
}
