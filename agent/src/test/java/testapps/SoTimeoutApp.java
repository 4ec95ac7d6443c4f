package testapps;

import io.coop.testsupport.Probe;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;

/** 20 threads read from a server that never answers, with setSoTimeout(300): all time out together. */
public class SoTimeoutApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        Set<String> outcomes = ConcurrentHashMap.newKeySet();
        try (ServerSocket ss = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    for (int i = 0; i < 20; i++) accepted.add(ss.accept());
                } catch (Exception e) {
                    outcomes.add("acceptFailed:" + e);
                }
            });
            acceptor.start();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Thread t = new Thread(() -> {
                    Probe.mark();
                    try (Socket s = new Socket(ss.getInetAddress(), ss.getLocalPort())) {
                        s.setSoTimeout(300);
                        long t0 = System.nanoTime();
                        int b = s.getInputStream().read();
                        outcomes.add("read:" + b);
                    } catch (Exception e) {
                        outcomes.add(e.getClass().getName() + ":" + e.getMessage().replace(' ', '_'));
                    }
                });
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) t.join();
            acceptor.join();
            for (Socket s : accepted) s.close();
        }
        Probe.result("outcomes=" + String.join(",", outcomes));
    }
}
