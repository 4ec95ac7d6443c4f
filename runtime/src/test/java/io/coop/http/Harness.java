package io.coop.http;

import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Runs one connection's request loop over bytes in memory, with a handler that shows what it saw. */
final class Harness {
    static final HttpHandler ECHO = x -> {
        String path = x.getRequestURI().getPath();
        if (path.startsWith("/fail")) throw new IllegalStateException("handler failed on purpose");
        if (path.startsWith("/silent")) return;
        byte[] body = x.getRequestBody().readAllBytes();
        String text = x.getRequestMethod() + " " + x.getRequestURI() + " " + x.getProtocol() + " body=" + new String(body, StandardCharsets.ISO_8859_1);
        byte[] out = text.getBytes(StandardCharsets.ISO_8859_1);
        if (path.startsWith("/none")) {
            x.sendResponseHeaders(204, -1);
        } else if (path.startsWith("/stream")) {
            x.sendResponseHeaders(200, 0);
            try (OutputStream o = x.getResponseBody()) {
                o.write(out, 0, out.length / 2);
                o.flush();
                o.write(out, out.length / 2, out.length - out.length / 2);
            }
        } else {
            x.sendResponseHeaders(200, out.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(out);
            }
        }
    };

    final MemoryTransport transport;
    final BufferPool pool;

    Harness(byte[] input, Random pieces, Limits limits, HttpHandler handler) {
        this.transport = new MemoryTransport(input, pieces);
        this.pool = new BufferPool(limits.bufferSize, 4);
        Contexts contexts = new Contexts(() -> null);
        contexts.create("/", handler);
        new HttpConnection(transport, null, contexts, limits, pool).serve();
    }

    static Harness run(String input) {
        return new Harness(input.getBytes(StandardCharsets.ISO_8859_1), null, new Limits(), ECHO);
    }

    static Harness run(String input, Random pieces, Limits limits) {
        return new Harness(input.getBytes(StandardCharsets.ISO_8859_1), pieces, limits, ECHO);
    }

    java.util.List<Responses.Resp> responses() {
        return Responses.parse(transport.output.toByteArray());
    }

    static byte[] concat(byte[]... parts) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.write(p);
        return b.toByteArray();
    }
}
