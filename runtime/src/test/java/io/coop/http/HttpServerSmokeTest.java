package io.coop.http;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpServerSmokeTest {
    @Test
    void helloWorld() throws Exception {
        try (RunningServer s = RunningServer.start(x -> {
            byte[] b = "hello".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        }); RawClient c = new RawClient(s.address)) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("hello", r.text());
            c.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("hello", c.read().text());
            assertEquals("hello", c.read().text());
        }
    }
}
