package io.coop.examples;

import io.coop.Coop;
import io.coop.Greenlet;
import io.coop.dns.Resolver;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Seed: resolving several host names at once, each in its own greenlet, waiting at most 2 s for
 * all of them, then collecting each greenlet's value. {@link Resolver} runs the JDK's lookups on
 * a few helper threads while the hub runs the greenlets (under {@code -javaagent:coop.jar} plain
 * {@code InetAddress.getByName} does the same). The names default to ones this machine knows
 * without a network; give others as arguments. A lookup not done within the 2 s shows as null.
 */
public final class ResolveHosts {

    public static void main(String[] args) {
        List<String> urls = args.length > 0 ? List.of(args) : List.of("localhost", hostName(), "127.0.0.1");
        Coop.run(() -> {
            Resolver socket = Resolver.getDefault();
            List<Greenlet<InetAddress>> jobs = new ArrayList<>();
            for (String url : urls) jobs.add(Coop.spawn(() -> socket.getByName(url)));
            Coop.joinAll(jobs, Duration.ofSeconds(2));
            List<String> result = new ArrayList<>();
            for (Greenlet<InetAddress> job : jobs) result.add(job.value() == null ? null : job.value().getHostAddress());
            System.out.println(result);
            return null;
        });
    }

    /** This machine's name, as the kernel has it. */
    static String hostName() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
