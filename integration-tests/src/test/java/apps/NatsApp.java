package apps;

import io.coop.testsupport.Probe;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * NATS through the official Java client (jnats). Connects (the client's NUID seeds a
 * SecureRandom in a class initializer), starts a responder on a Dispatcher, then: T threads each
 * make M request/reply round trips; a synchronous subscriber receives K published messages in
 * order; T threads each wait 0.5 s for a message on a subject nobody publishes to (the waits
 * overlap); the connection is closed. Besides the times it reports the request/reply round's
 * round trips/s, the process's OS threads as that round starts (the client's threads and every
 * requester), and a digest of every reply in order.
 *
 * <p>Args: natsUrl threads requestsPerThread messages
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.NatsApp nats://127.0.0.1:4222 10 100 1000
 * }</pre>
 */
public final class NatsApp {
    private static volatile long gate;

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int threads = Integer.parseInt(args[1]);
        int perThread = Integer.parseInt(args[2]);
        int messages = Integer.parseInt(args[3]);
        Probe.start();
        String prefix = "coop-it." + ProcessHandle.current().pid() + ".";
        Threads.Failures failures = new Threads.Failures();

        long t0 = System.nanoTime();
        Options options = new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(10)).build();
        Connection nc = Nats.connect(options);
        long connectMs = (System.nanoTime() - t0) / 1_000_000;

        AtomicInteger answered = new AtomicInteger();
        Dispatcher responder = nc.createDispatcher(msg -> {
            Probe.mark();
            nc.publish(msg.getReplyTo(), ("re " + new String(msg.getData(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            answered.incrementAndGet();
        });
        responder.subscribe(prefix + "echo");
        nc.flush(Duration.ofSeconds(10));

        // request/reply from several threads at once
        AtomicInteger replies = new AtomicInteger();
        String[] answers = new String[threads * perThread];
        int[] processOsThreads = new int[1];
        CyclicBarrier start = new CyclicBarrier(threads, () -> {
            processOsThreads[0] = Load.processOsThreads(); // the client's threads and every requester
            gate = System.nanoTime();
        });
        Threads.runAll(threads, "nats-requester", i -> {
            Probe.mark();
            start.await(60, TimeUnit.SECONDS);
            for (int k = 0; k < perThread; k++) {
                String q = i + "/" + k;
                Message r = nc.request(prefix + "echo", q.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
                String a = r == null ? "no reply (timed out)" : new String(r.getData(), StandardCharsets.UTF_8);
                answers[i * perThread + k] = a;
                if (!("re " + q).equals(a)) throw new IllegalStateException("request " + q + " got " + a);
                replies.incrementAndGet();
            }
            Probe.mark();
        }, failures);
        long requestsNs = System.nanoTime() - gate;
        long requestsMs = requestsNs / 1_000_000;

        // publish/subscribe, in order
        Subscription sub = nc.subscribe(prefix + "stream");
        nc.flush(Duration.ofSeconds(10));
        AtomicInteger inOrder = new AtomicInteger();
        Thread reader = new Thread(() -> {
            Probe.mark();
            try {
                for (int k = 0; k < messages; k++) {
                    Message m = sub.nextMessage(Duration.ofSeconds(10));
                    if (m == null) throw new IllegalStateException("message " + k + " did not arrive");
                    String s = new String(m.getData(), StandardCharsets.UTF_8);
                    if (!s.equals("m" + k)) throw new IllegalStateException("message " + k + " was " + s);
                    inOrder.incrementAndGet();
                }
                Probe.mark();
            } catch (Exception e) {
                failures.add("subscriber", e);
            }
        }, "nats-subscriber");
        reader.start();
        long t1 = System.nanoTime();
        for (int k = 0; k < messages; k++) nc.publish(prefix + "stream", ("m" + k).getBytes(StandardCharsets.UTF_8));
        nc.flush(Duration.ofSeconds(10));
        reader.join();
        long pubsubMs = (System.nanoTime() - t1) / 1_000_000;

        // waits for messages that never come: they overlap
        AtomicInteger timedOut = new AtomicInteger();
        CyclicBarrier quiet = new CyclicBarrier(threads, () -> gate = System.nanoTime());
        Threads.runAll(threads, "nats-waiter", i -> {
            Subscription s = nc.subscribe(prefix + "quiet." + i);
            quiet.await(60, TimeUnit.SECONDS);
            if (s.nextMessage(Duration.ofMillis(500)) == null) timedOut.incrementAndGet();
            Probe.mark();
        }, failures);
        long waitMs = (System.nanoTime() - gate) / 1_000_000;

        String natsThreads = Threads.describePlatformThreads("nats", "jnats");
        long t2 = System.nanoTime();
        nc.close();
        long closeMs = (System.nanoTime() - t2) / 1_000_000;
        Probe.result("replies=" + replies.get() + " answered=" + answered.get() + " inOrder=" + inOrder.get() + " timedOut=" + timedOut.get()
                + " connectMs=" + connectMs + " requestsMs=" + requestsMs + " roundTripsPerSecond=" + Load.perSecond(replies.get(), requestsNs)
                + " processOsThreads=" + processOsThreads[0] + " responses=" + Load.digest(answers) + " pubsubMs=" + pubsubMs + " waitMs=" + waitMs + " closeMs=" + closeMs
                + " status=" + nc.getStatus() + " natsOsThreads=" + natsThreads + " failures=" + failures.count());
    }
}
