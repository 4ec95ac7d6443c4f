package io.coop.bench.http;

import io.coop.bench.OneLoopNetty;
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
 * }</pre>
 *
 * <ul>
 * <li>{@code netty}: Netty's HTTP codec on ONE NIO event loop (accept and I/O).</li>
 * <li>{@code helidon}: Helidon 4 SE WebServer (a virtual thread per connection); run with
 *     {@code -Djdk.virtualThreadScheduler.parallelism=1} for one carrier.</li>
 * </ul>
 */
public final class HelloServer {
    static final byte[] BODY = "Hello, World!\n".getBytes(StandardCharsets.UTF_8);

    private HelloServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        switch (args[0]) {
            case "netty" -> netty(port);
            case "helidon" -> helidon(port);
            default -> throw new IllegalArgumentException("kind: netty or helidon, not " + args[0]);
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

    private static void netty(int port) throws InterruptedException {
        NettyHello hello = new NettyHello();
        OneLoopNetty.serve(new InetSocketAddress("127.0.0.1", port), "ready netty http on ",
                p -> p.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), hello));
    }
}
