package io.coop.junit.races;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An ordinary program that waits an hour in all: 6 threads sleep 10 minutes each, a scheduled
 * task runs after 30 minutes, a latch wait times out after 20 minutes, and main sleeps the rest.
 * Prints how much time it saw pass, by System.nanoTime, System.currentTimeMillis and Instant.now,
 * and what a thread that is not a greenlet (the common pool's) reads meanwhile.
 */
public final class HourOfSleeps {
    public static void main(String[] args) throws Exception {
        long nanos0 = System.nanoTime(), millis0 = System.currentTimeMillis();
        Instant instant0 = Instant.now();
        List<Thread> sleepers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Thread t = new Thread(() -> LostUpdateDemo.run(() -> Thread.sleep(Duration.ofMinutes(10))), "sleeper-" + i);
            t.start();
            sleepers.add(t);
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        ScheduledFuture<Long> scheduled = scheduler.schedule(() -> System.nanoTime() - nanos0, 30, TimeUnit.MINUTES);
        boolean opened = new CountDownLatch(1).await(20, TimeUnit.MINUTES);
        long scheduledAt = scheduled.get();
        for (Thread t : sleepers) t.join();
        Thread.sleep(Duration.ofMinutes(30));
        scheduler.shutdown();
        long seenNanos = System.nanoTime() - nanos0, seenMillis = System.currentTimeMillis() - millis0;
        Duration seenInstant = Duration.between(instant0, Instant.now());
        // a ForkJoinPool thread is an OS thread, not a greenlet: it reads the real clock
        long poolNanos = java.util.concurrent.CompletableFuture.supplyAsync(System::nanoTime).get();
        System.out.println("RESULT latchOpened=" + opened + " scheduledAtMinutes=" + TimeUnit.NANOSECONDS.toMinutes(scheduledAt)
                + " nanoTimeMinutes=" + TimeUnit.NANOSECONDS.toMinutes(seenNanos) + " millisMinutes=" + TimeUnit.MILLISECONDS.toMinutes(seenMillis)
                + " instantMinutes=" + seenInstant.toMinutes() + " poolThreadMinutes=" + TimeUnit.NANOSECONDS.toMinutes(poolNanos - nanos0));
    }
}
