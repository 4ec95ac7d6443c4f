package testapps;

import io.coop.testsupport.Probe;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 100 threads resolve names from /etc/hosts (and localhost), forward and reverse, and print
 * what they got: the same lines with and without coop. Only names the hosts file answers are
 * used, so no lookup leaves the machine.
 */
public class DnsApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        List<String> names = new ArrayList<>();
        names.add("localhost");
        for (String line : Files.readAllLines(Path.of("/etc/hosts"))) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] parts = l.split("\\s+");
            for (int i = 1; i < parts.length; i++) if (!names.contains(parts[i]) && !parts[i].contains(":")) names.add(parts[i]);
        }
        Map<String, String> answers = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String name = names.get(i % names.size());
            boolean reverse = i % 5 == 4;
            Thread t = new Thread(() -> {
                Probe.mark();
                try {
                    if (reverse) {
                        InetAddress a = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
                        answers.put("reverse:127.0.0.1", a.getCanonicalHostName());
                    } else {
                        InetAddress[] all = InetAddress.getAllByName(name);
                        StringBuilder sb = new StringBuilder();
                        for (InetAddress a : all) sb.append(a.getHostAddress()).append('|');
                        answers.put(name, sb.toString());
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                    answers.put(name, e.toString());
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(answers).entrySet()) sb.append(e.getKey()).append("->").append(e.getValue()).append(';');
        Probe.result("lookups=" + threads.size() + " failures=" + failures.get() + " answers=" + sb.toString().replace(' ', '_'));
    }
}
