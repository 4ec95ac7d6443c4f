package apps;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.coop.testsupport.Probe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * RabbitMQ through the official amqp-client (blocking I/O: its connection thread reads frames,
 * its consumer pool runs the callbacks). A publisher thread sends M numbered messages with
 * publisher confirms; C consumers, each on its own channel with manual acks, share one queue
 * and spend 5 ms on each message (Thread.sleep, standing for work that waits). Every message
 * must arrive exactly once.
 *
 * <p>Args: host port consumers messages [blocking|nio|netty] (the client's I/O layer: blocking
 * sockets by default, or its NIO selector loop, or Netty)
 *
 * <pre>{@code
 * java -javaagent:coop.jar -cp "$(cat integration-tests/target/apps.classpath)" apps.RabbitApp 127.0.0.1 5672 10 10000 nio
 * }</pre>
 */
@SuppressWarnings("deprecation") // useNio(): amqp-client 5.x deprecates its NIO layer for Netty; both are tested
public final class RabbitApp {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int consumers = Integer.parseInt(args[2]);
        int messages = Integer.parseInt(args[3]);
        String io = args.length > 4 ? args[4] : "blocking";
        Probe.start();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername("guest");
        factory.setPassword("guest");
        if (io.equals("nio")) factory.useNio();
        if (io.equals("netty")) factory.netty();
        // one callback thread per consumer (the default pool has 2 x cores threads)
        ExecutorService callbacks = Executors.newFixedThreadPool(consumers);
        factory.setSharedExecutor(callbacks);
        Threads.Failures failures = new Threads.Failures();
        Map<Integer, Integer> seen = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger redelivered = new AtomicInteger();
        AtomicInteger[] perConsumer = new AtomicInteger[consumers];
        CountDownLatch all = new CountDownLatch(messages);
        String queue = "coop-it-" + ProcessHandle.current().pid();
        long ms;
        boolean complete;
        String clientThreads;
        try (Connection conn = factory.newConnection("coop-it")) {
            try (Channel admin = conn.createChannel()) {
                admin.queueDeclare(queue, false, false, false, null);
            }
            List<Channel> channels = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                int me = c;
                perConsumer[c] = new AtomicInteger();
                Channel ch = conn.createChannel();
                ch.basicQos(50);
                channels.add(ch);
                ch.basicConsume(queue, false, "consumer-" + c, new DefaultConsumer(ch) {
                    @Override
                    public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                        Probe.mark();
                        try {
                            int id = Integer.parseInt(new String(body, StandardCharsets.UTF_8));
                            if (env.isRedeliver()) redelivered.incrementAndGet();
                            if (seen.merge(id, 1, Integer::sum) > 1) duplicates.incrementAndGet();
                            Thread.sleep(5);
                            getChannel().basicAck(env.getDeliveryTag(), false);
                            perConsumer[me].incrementAndGet();
                            all.countDown();
                        } catch (Exception e) {
                            failures.add("consumer-" + me, e);
                        }
                    }
                });
            }
            Thread publisher = new Thread(() -> {
                Probe.mark();
                try (Channel ch = conn.createChannel()) {
                    ch.confirmSelect();
                    for (int k = 0; k < messages; k++) {
                        ch.basicPublish("", queue, null, Integer.toString(k).getBytes(StandardCharsets.UTF_8));
                    }
                    ch.waitForConfirmsOrDie(30_000);
                    Probe.mark();
                } catch (Exception e) {
                    failures.add("publisher", e);
                }
            }, "publisher");
            long t0 = System.nanoTime();
            publisher.start();
            complete = all.await(60, TimeUnit.SECONDS);
            ms = (System.nanoTime() - t0) / 1_000_000;
            publisher.join();
            clientThreads = Threads.describePlatformThreads("AMQP", "pool-", "rabbitmq-nio", "nioEventLoop", "multiThreadIoEventLoop");
            Thread.sleep(300); // anything delivered twice would come now
            for (Channel ch : channels) ch.close();
            try (Channel admin = conn.createChannel()) {
                admin.queueDelete(queue);
            }
        }
        callbacks.shutdown();
        int busy = 0;
        for (AtomicInteger c : perConsumer) if (c.get() > 0) busy++;
        Probe.result("complete=" + complete + " distinct=" + seen.size() + " duplicates=" + duplicates.get()
                + " redelivered=" + redelivered.get() + " consumersUsed=" + busy + " deliverMs=" + ms
                + " clientOsThreads=" + clientThreads + " failures=" + failures.count());
    }
}
