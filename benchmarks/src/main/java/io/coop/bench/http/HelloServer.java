package io.coop.bench.http;

import io.coop.bench.OneLoopNetty;
import io.coop.bench.VertxLoops;
import io.helidon.webserver.WebServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP hello-world servers of figure 5 that need libraries (the coop and JDK ones are
 * single-file programs next to {@code benchmarks/http/run.sh}): each answers every request on
 * {@code 127.0.0.1:port} with "Hello, World!\n" until killed.
 *
 * <pre>{@code
 * taskset -c 0 java -cp benchmarks.jar io.coop.bench.http.HelloServer netty 18083
 * taskset -c 0 java -Djdk.virtualThreadScheduler.parallelism=1 -cp benchmarks.jar io.coop.bench.http.HelloServer helidon 18084
 * java -cp benchmarks.jar io.coop.bench.http.HelloServer vertx 18086 2
 * }</pre>
 *
 * <ul>
 * <li>{@code netty}: Netty's HTTP codec on ONE NIO event loop (accept and I/O), or on {@code n}
 *     loops when a third argument {@code n} is given.</li>
 * <li>{@code vertx}: Vert.x core's HTTP server on {@code n} event loops (default 1; one server
 *     instance per loop on the same port, Vert.x's way to use several), JDK NIO transport.</li>
 * <li>{@code helidon}: Helidon 4 SE WebServer (a virtual thread per connection); run with
 *     {@code -Djdk.virtualThreadScheduler.parallelism=1} for one carrier, or without it for the
 *     JDK's default scheduler (one carrier per core).</li>
 * </ul>
 */
public final class HelloServer {
    static final byte[] BODY = "Hello, World!\n".getBytes(StandardCharsets.UTF_8);

    private HelloServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        switch (args[0]) {
            case "netty" -> netty(port, n);
            case "vertx" -> vertx(port, n);
            case "helidon" -> helidon(port);
            default -> throw new IllegalArgumentException("kind: netty, vertx or helidon, not " + args[0]);
        }
    }

    private static void helidon(int port) {
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .routing(r -> r.get("/", (req, res) -> {
                    res.header("Content-Type", "text/plain");
                    res.send(BODY);
                }))
                .build()
                .start();
        System.out.println("ready helidon on " + server.port());
    }

    @Sharable
    static final class NettyHello extends SimpleChannelInboundHandler<HttpRequest> {
        private final ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(BODY));

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpRequest req) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body.duplicate());
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
            if (HttpUtil.isKeepAlive(req)) {
                ctx.write(res);
            } else {
                ctx.write(res).addListener(f -> ctx.close());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static void vertx(int port, int loops) throws Exception {
        VertxLoops.serve(loops, vertx -> {
            Buffer body = Buffer.buffer(BODY); // one per server instance, so per event loop
            return vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setAcceptBacklog(4096))
                    .requestHandler(req -> req.response().putHeader("Content-Type", "text/plain").end(body))
                    .listen(port, "127.0.0.1")
                    .map(io.vertx.core.http.HttpServer::actualPort);
        });
    }

    private static void netty(int port, int loops) throws InterruptedException {
        NettyHello hello = new NettyHello();
        OneLoopNetty.serve(new InetSocketAddress("127.0.0.1", port), loops, "ready netty http on ",
                p -> p.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), hello));
    }
}
