package io.coop.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Seed: the interactive client of {@link ThreadedEchoServer}: reads a line from the keyboard,
 * sends it, prints the answer. Plain blocking Java; it runs the same with or without the agent.
 * The first argument is the port (default 8080). End with Ctrl-D.
 */
public final class EchoClient {

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        BufferedReader keyboard = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Socket client = new Socket("127.0.0.1", port)) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            byte[] buf = new byte[1024];
            while (true) {
                System.out.print(">>: ");
                System.out.flush();
                String msg = keyboard.readLine();
                if (msg == null) break;
                msg = msg.strip();
                if (msg.isEmpty()) continue;
                out.write(msg.getBytes(StandardCharsets.UTF_8));
                int n = in.read(buf);
                if (n < 0) break;
                System.out.println(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        }
        System.out.println();
    }
}
