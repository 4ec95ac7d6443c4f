package apps;

import io.coop.testsupport.Probe;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.util.KeyValue;

/**
 * Redis through Jedis and its JedisPool (commons-pool2). Phase 1: N threads each borrow a
 * connection and {@code BLPOP} their own list with a 0.5 s timeout; 100 ms later another thread
 * pushes to the even lists, so half the pops return a value early and half time out; then each
 * thread does SET and GET. Phase 2: S subscriber threads block in {@code SUBSCRIBE} while a
 * publisher sends M messages and "end"; every subscriber must see all of them, in order.
 *
 * <p>Args: host port threads subscribers messages
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.JedisApp 127.0.0.1 6379 50 10 1000
 * }</pre>
 */
@SuppressWarnings("deprecation") // Jedis 8 deprecates JedisPool for RedisClient; JedisPool is what most code in use has
public final class JedisApp {
    private static volatile long gate;

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        int subscribers = Integer.parseInt(args[3]);
        int messages = Integer.parseInt(args[4]);
        Probe.start();
        String prefix = "coop-it:" + ProcessHandle.current().pid() + ":";
        JedisPoolConfig cfg = new JedisPoolConfig();
        cfg.setMaxTotal(n + subscribers + 5);
        Threads.Failures failures = new Threads.Failures();
        AtomicInteger popped = new AtomicInteger();
        AtomicInteger timedOut = new AtomicInteger();
        AtomicInteger setGet = new AtomicInteger();
        AtomicInteger pubsubRight = new AtomicInteger();
        long blpopMs;
        long pubsubMs;
        String poolThreads;
        try (JedisPool pool = new JedisPool(cfg, host, port)) {
            CyclicBarrier ready = new CyclicBarrier(n + 1, () -> gate = System.nanoTime());
            Thread pusher = new Thread(() -> {
                try (Jedis j = pool.getResource()) {
                    ready.await(60, TimeUnit.SECONDS);
                    Thread.sleep(100);
                    for (int i = 0; i < n; i += 2) j.lpush(prefix + "list:" + i, "v" + i);
                } catch (Exception e) {
                    failures.add("pusher", e);
                }
            }, "pusher");
            pusher.start();
            Threads.runAll(n, "jedis-client", i -> {
                Probe.mark();
                try (Jedis j = pool.getResource()) {
                    ready.await(60, TimeUnit.SECONDS);
                    KeyValue<String, String> kv = j.blpop(0.5, prefix + "list:" + i);
                    Probe.mark();
                    if (kv == null) {
                        if (i % 2 == 1) timedOut.incrementAndGet();
                    } else if (i % 2 == 0 && kv.getValue().equals("v" + i)) {
                        popped.incrementAndGet();
                    }
                    j.set(prefix + "key:" + i, "value-" + i);
                    if (("value-" + i).equals(j.get(prefix + "key:" + i))) setGet.incrementAndGet();
                    j.del(prefix + "key:" + i);
                }
            }, failures);
            blpopMs = (System.nanoTime() - gate) / 1_000_000;
            pusher.join();

            String channel = prefix + "news";
            CountDownLatch subscribed = new CountDownLatch(subscribers);
            Thread publisher = new Thread(() -> {
                Probe.mark();
                try (Jedis j = pool.getResource()) {
                    if (!subscribed.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("subscribers did not subscribe");
                    for (int k = 0; k < messages; k++) j.publish(channel, "m" + k);
                    j.publish(channel, "end");
                } catch (Exception e) {
                    failures.add("publisher", e);
                }
            }, "publisher");
            long t0 = System.nanoTime();
            publisher.start();
            Threads.runAll(subscribers, "subscriber", i -> {
                Probe.mark();
                int[] next = {0};
                boolean[] inOrder = {true};
                try (Jedis j = pool.getResource()) {
                    j.subscribe(new JedisPubSub() {
                        @Override
                        public void onSubscribe(String ch, int count) {
                            Probe.mark();
                            subscribed.countDown();
                        }

                        @Override
                        public void onMessage(String ch, String message) {
                            Probe.mark();
                            if (message.equals("end")) {
                                unsubscribe();
                            } else if (message.equals("m" + next[0])) {
                                next[0]++;
                            } else {
                                inOrder[0] = false;
                            }
                        }
                    }, channel);
                }
                if (inOrder[0] && next[0] == messages) pubsubRight.incrementAndGet();
            }, failures);
            publisher.join();
            pubsubMs = (System.nanoTime() - t0) / 1_000_000;
            poolThreads = Threads.describePlatformThreads("commons-pool");
        }
        Probe.result("popped=" + popped.get() + " timedOut=" + timedOut.get() + " setGet=" + setGet.get()
                + " blpopMs=" + blpopMs + " pubsubRight=" + pubsubRight.get() + " pubsubMs=" + pubsubMs
                + " poolOsThreads=" + poolThreads + " failures=" + failures.count());
    }
}
