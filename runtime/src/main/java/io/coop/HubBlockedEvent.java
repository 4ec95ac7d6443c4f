package io.coop;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event emitted by the blocking monitor once per blocking problem: a hub did not come back to
 * its loop within {@code coop.maxBlockingTime} (start-up work, class loading, is not one; see
 * {@link BlockingMonitor}). It is committed when the hold ends and spans the whole hold; its
 * Blocked For is the hold's length. Record it with
 * {@code java -XX:StartFlightRecording:filename=rec.jfr -javaagent:coop.jar ...} and read it with
 * {@code jfr print --events io.coop.HubBlocked rec.jfr}.
 *
 * <pre>{@code
 * jfr print --events io.coop.HubBlocked rec.jfr
 * }</pre>
 */
@Name("io.coop.HubBlocked")
@Label("Hub Blocked")
@Category("coop")
@Description("A greenlet kept its hub's OS thread longer than coop.maxBlockingTime without yielding")
@StackTrace(false)
public final class HubBlockedEvent extends jdk.jfr.Event {
    @Label("Hub Thread")
    public String hubThread;

    @Label("Greenlet")
    public String greenlet;

    @Label("Blocked For")
    @Timespan(Timespan.MILLISECONDS)
    public long blockedMillis;

    @Label("Greenlet Stack")
    public String stack;

    @Label("Call Site")
    @Description("The method of the first frame of the stack outside the JDK and coop")
    public String callSite;

    @Label("Incidents At Call Site")
    @Description("This incident's number among the incidents at its call site; the log reports only the first, then summarises the others")
    public long callSiteIncidents;
}
