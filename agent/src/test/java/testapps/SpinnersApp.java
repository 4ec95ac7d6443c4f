package testapps;

import io.coop.testsupport.Probe;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Threads a test suite left behind, each retrying accept on a server socket its test closed (a
 * careless accept loop: every call fails at once, so the thread never waits), beside a client and
 * a server exchanging round trips over loopback. The client measures each round trip; the
 * spinners count their turns. On one OS thread under {@code coop.preempt}, every spinner must get
 * turns and the round trips must not wait for all of them.
 *
 * <p>Args: spinners roundTrips
 */
public class SpinnersApp {
    static volatile boolean released;

    public static void main(String[] args) throws Exception {
        Probe.start();
        int spinners = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        long[] spins = new long[spinners];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < spinners; i++) {
            int id = i;
            ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            closed.close();
            Thread t = new Thread(() -> {
                Probe.mark();
                while (!released) {
                    try {
                        closed.accept().close();
                    } catch (IOException e) {
                        spins[id]++;
                    }
                }
            }, "leaked-accept-" + i);
            t.start();
            threads.add(t);
        }
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread server = new Thread(() -> {
            Probe.mark();
            try (Socket s = listener.accept(); DataInputStream in = new DataInputStream(s.getInputStream());
                 DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
                for (int k = 0; k < rounds; k++) {
                    out.writeInt(in.readInt() + 1);
                    out.flush();
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, "echo-server");
        server.start();
        long[] micros = new long[rounds];
        int[] right = new int[1];
        Thread client = new Thread(() -> {
            Probe.mark();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                 DataInputStream in = new DataInputStream(s.getInputStream());
                 DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
                for (int k = 0; k < rounds; k++) {
                    long t0 = System.nanoTime();
                    out.writeInt(k);
                    out.flush();
                    if (in.readInt() == k + 1) right[0]++;
                    micros[k] = (System.nanoTime() - t0) / 1_000;
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            } finally {
                released = true;
            }
        }, "client");
        client.start();
        client.join();
        server.join();
        for (Thread t : threads) t.join();
        listener.close();
        Arrays.sort(micros);
        long fewest = spinners == 0 ? 0 : Arrays.stream(spins).min().getAsLong();
        Probe.result("right=" + right[0] + " medianMicros=" + micros[rounds / 2] + " maxMicros=" + micros[rounds - 1]
                + " fewestSpins=" + fewest);
    }
}
