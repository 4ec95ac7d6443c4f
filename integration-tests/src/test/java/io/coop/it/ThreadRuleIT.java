package io.coop.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.coop.testsupport.Jvm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Threads that the JDK starts for ordinary code, under {@code -javaagent:coop.jar} with every
 * area patched and without it: fork/join workers (a {@code new ForkJoinPool(4)}, the common
 * pool through a parallel stream and {@code CompletableFuture.supplyAsync}) running tasks that
 * sleep, and the JDK's {@code HttpServer} with the application's own {@code ThreadPoolExecutor}
 * of 50 threads, whose threads its dispatcher thread creates, answering 50 slow requests at once.
 * The rule (docs/patches.md) is what a thread runs, not who starts it: the application's pool
 * threads are greenlets on main's hub although a JDK-internal thread started them, so every
 * handler runs on main's OS thread; the JDK's own worker pools (fork/join) stay OS threads, so
 * their tasks run off the hub, as the ones the calling greenlet runs itself (a parallel stream's
 * share) run on it. Every task and request completes with the same answers as without the agent.
 */
class ThreadRuleIT {
    private static final int REQUESTS = 50;
    private static final String[] KINDS = {"forkJoinPool4", "parallelStream", "supplyAsync"};

    @Test
    void forkJoinTasksAndJdkHttpServerPoolThreadsComplete() throws Exception {
        System.out.println("[coop-it] ThreadRuleIT: fork/join workers and the JDK HttpServer's pool threads");
        Jvm.Run r = Apps.check(Apps.agent().timeout(Duration.ofSeconds(30)).run("apps.ThreadRuleApp", String.valueOf(REQUESTS), "200"), "apps.ThreadRuleApp");
        Jvm.Run plain = Apps.check(Apps.plain().timeout(Duration.ofSeconds(30)).run("apps.ThreadRuleApp", String.valueOf(REQUESTS), "200"),
                "apps.ThreadRuleApp (no agent)");
        for (Jvm.Run run : new Jvm.Run[] {r, plain}) {
            String who = run == r ? "agent" : "without";
            StringBuilder b = new StringBuilder("[coop-it] figures thread rule (" + who + "):");
            for (String k : KINDS) {
                b.append(' ').append(k).append(" ").append(run.field(k + "Ms")).append(" ms on ").append(run.field(k + "OsThreads"))
                        .append(" OS thread(s), ").append(run.field(k + "OnMainOsThread")).append(" on main's, ")
                        .append(run.field(k + "Virtual")).append(" virtual;");
            }
            b.append(" HttpServer: ").append(run.field("requestsMs")).append(" ms, handlers on ").append(run.field("handlerOsThreads"))
                    .append(" OS thread(s) (").append(run.field("handlerOnMainOsThread")).append(" on main's, ")
                    .append(run.field("handlerVirtual")).append(" virtual), clients on ").append(run.field("clientOsThreads"))
                    .append(", process OS threads ").append(run.field("processOsThreads"));
            System.out.println(b);
            assertEquals("0", run.field("failures"), run::toString);
            for (String k : KINDS) assertEquals("8", run.field(k + "Done"), () -> k + ": every task done; " + run);
            assertEquals(String.valueOf(REQUESTS), run.field("ok"), run::toString);
        }
        Apps.assertSameResponses(r, plain);
        assertEquals(String.valueOf(REQUESTS), r.field("handlerOnMainOsThread"), () -> "every handler thread is a greenlet on main's hub; " + r);
        assertEquals("1", r.field("handlerOsThreads"), r::toString);
        assertEquals("0", r.field("forkJoinPool4OnMainOsThread"), () -> "fork/join workers stay OS threads; " + r);
        assertEquals("0", r.field("supplyAsyncOnMainOsThread"), () -> "the common pool's workers stay OS threads; " + r);
        // serial: 50 x 0.2 s = 10 s; the executor has 50 threads
        Apps.assertWithin(r, "requestsMs", 195, 5000, "50 requests that wait 200 ms overlap");
    }
}
