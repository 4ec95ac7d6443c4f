package io.coop.examples;

import io.coop.Coop;
import io.coop.net.StreamServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Tutorial: "Websockets": send random data to the browser twice a second. coop has no WebSocket
 * module (the tutorial used the gevent-websocket package), so this example speaks the little of
 * RFC 6455 it needs on a {@link StreamServer}: the upgrade handshake, then one unmasked text frame
 * per message. A plain GET gets the tutorial's HTML page, which opens the socket and shows the
 * data. Open {@code http://127.0.0.1:10000/}; the first argument changes the port (0: any).
 */
public final class WebSocketServer {

    /** Send random data to the websocket. */
    static void webSocketApp(WebSocket ws) throws Exception {
        int x = 0;
        while (true) {
            String data = String.format("{\"x\": %d, \"y\": %d}", x, ThreadLocalRandom.current().nextInt(1, 6));
            ws.send(data);
            x += 1;
            Coop.sleep(Duration.ofMillis(500));
        }
    }

    static void handle(Socket socket, InetSocketAddress peer) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        OutputStream out = socket.getOutputStream();
        String requestLine = in.readLine();
        Map<String, String> headers = new HashMap<>();
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String key = headers.get("sec-websocket-key");
        if (requestLine == null) return;
        if (!"websocket".equalsIgnoreCase(headers.get("upgrade")) || key == null) {
            byte[] page = PAGE.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + page.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(page);
            return;
        }
        String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.ISO_8859_1)));
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        webSocketApp(new WebSocket(out));   // ends when the browser goes away (the write fails)
    }

    /** The sending half of a WebSocket: text frames, unmasked, as a server sends them. */
    record WebSocket(OutputStream out) {
        void send(String text) throws Exception {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            byte[] head = payload.length < 126
                    ? new byte[] {(byte) 0x81, (byte) payload.length}
                    : new byte[] {(byte) 0x81, 126, (byte) (payload.length >> 8), (byte) payload.length};
            out.write(head);
            out.write(payload);
            out.flush();
        }
    }

    static final String PAGE = """
            <html>
              <head>
                <title>Minimal websocket application</title>
                <script type="text/javascript">
                  window.onload = function() {
                    // Open up a connection to our server
                    var ws = new WebSocket("ws://" + location.host + "/");
                    // What do we do when we get a message?
                    ws.onmessage = function(evt) {
                      var p = document.createElement("p");
                      p.textContent = evt.data;
                      document.getElementById("placeholder").appendChild(p);
                    };
                    // Just update our conn_status field with the connection status
                    ws.onopen = function(evt) { document.getElementById("conn_status").innerHTML = "<b>Connected</b>"; };
                    ws.onerror = function(evt) { document.getElementById("conn_status").innerHTML = "<b>Error</b>"; };
                    ws.onclose = function(evt) { document.getElementById("conn_status").innerHTML = "<b>Closed</b>"; };
                  };
                </script>
              </head>
              <body>
                <h1>WebSocket Example</h1>
                <div id="conn_status">Not Connected</div>
                <div id="placeholder" style="width:600px;height:300px;"></div>
              </body>
            </html>
            """;

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
        Coop.run(() -> {
            StreamServer server = new StreamServer(new InetSocketAddress("127.0.0.1", port), WebSocketServer::handle);
            server.start();
            System.out.println("Serving on port " + server.address().getPort());
            server.serveForever();
            return null;
        });
    }
}
