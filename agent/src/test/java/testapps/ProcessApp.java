package testapps;

import io.coop.testsupport.Probe;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * 5 threads each run "sleep 0.5" and waitFor() it (one with waitFor(timeout), one with
 * onExit().get()), while another reads a process's stdout through its pipe: together about
 * 0.5 s. Prints exit codes and the output read.
 */
public class ProcessApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        Map<String, String> results = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                Probe.mark();
                try {
                    Process p = new ProcessBuilder("sleep", "0.5").start();
                    int code;
                    if (id == 0) {
                        code = p.waitFor(10, TimeUnit.SECONDS) ? p.exitValue() : -1;
                    } else if (id == 1) {
                        code = p.onExit().get().exitValue();
                    } else {
                        code = p.waitFor();
                    }
                    results.put("sleep" + id, String.valueOf(code));
                } catch (Exception e) {
                    results.put("sleep" + id, e.toString());
                }
            });
            t.start();
            threads.add(t);
        }
        Thread reader = new Thread(() -> {
            Probe.mark();
            try {
                Process p = new ProcessBuilder("sh", "-c", "sleep 0.3; echo first; sleep 0.1; echo second; exit 3").start();
                StringBuilder sb = new StringBuilder();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                    String line;
                    while ((line = in.readLine()) != null) sb.append(line).append('+');
                }
                results.put("output", sb.toString());
                results.put("outputExit", String.valueOf(p.waitFor()));
            } catch (Exception e) {
                results.put("output", e.toString());
            }
        });
        reader.start();
        threads.add(reader);
        for (Thread t : threads) t.join();
        StringBuilder sb = new StringBuilder();
        for (String k : new java.util.TreeSet<>(results.keySet())) sb.append(' ').append(k).append('=').append(results.get(k).replace(' ', '_'));
        Probe.result(sb.toString().trim());
    }
}
