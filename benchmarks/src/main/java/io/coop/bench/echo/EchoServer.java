package io.coop.bench.echo;

import io.coop.Coop;
import io.coop.bench.OneLoopNetty;
import io.coop.bench.VertxLoops;
import io.coop.net.Sockets;
import io.coop.net.StreamServer;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import echoapp.ThreadPerConnectionEcho;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The TCP echo servers of figure 4, one per kind, each serving {@code 127.0.0.1:port} until killed.
 *
 * <pre>{@code
 * taskset -c 0 java -cp benchmarks.jar io.coop.bench.echo.EchoServer coop 19001
 * java -cp benchmarks.jar io.coop.bench.echo.EchoServer netty 19002 2
 * }</pre>
 *
 * <p>An optional third argument, {@code n} (default 1), is the number of threads that serve: hubs
 * for {@code coop} ({@code StreamServer.hubs(n)}), event loops for {@code netty} and {@code vertx}
 * (the scaling comparison, {@code benchmarks/run.sh --scaling}). The thread-per-connection kinds
 * take no {@code n}: how many cores their threads use is the scheduler's business.
 *
 * <ul>
 * <li>{@code coop}: {@link StreamServer} on one hub thread (or {@code n}), a greenlet per connection reading and
 *     writing the socket's streams (gevent's idiom).</li>
 * <li>{@code coop-nio}: {@link StreamServer#forChannels}, the handler on the non-blocking channel,
 *     waiting with {@link Sockets#waitRead} before it reads into one buffer shared by the hub.</li>
 * <li>{@code netty}: Netty with ONE NIO event loop (or {@code n}) for both accepting and I/O.</li>
 * <li>{@code vertx}: Vert.x core with ONE event loop (or {@code n}, a server instance on each) on
 *     the JDK NIO transport, writing back each received buffer; Vert.x accepts on its own
 *     acceptor thread, as it always does.</li>
 * <li>{@code platform}: a platform thread per connection (the blocking JDK idiom).</li>
 * <li>{@code virtual}: a virtual thread per connection; run with
 *     {@code -Djdk.virtualThreadScheduler.parallelism=1} for one carrier.</li>
 * </ul>
 */
public final class EchoServer {
    private EchoServer() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = Integer.parseInt(args[1]);
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        if (n != 1 && !(kind.equals("coop") || kind.equals("netty") || kind.equals("vertx"))) {
            // coop-nio's handler shares one read buffer among the greenlets of ONE hub
            throw new IllegalArgumentException("only coop, netty and vertx take a thread count; " + kind + " does not");
        }
        switch (kind) {
            case "coop" -> coop(address, false, n);
            case "coop-nio" -> coop(address, true, 1);
            case "netty" -> netty(address, n);
            case "vertx" -> vertx(address, n);
            case "platform" -> ThreadPerConnectionEcho.serve(address, false);
            case "virtual" -> ThreadPerConnectionEcho.serve(address, true);
            default -> throw new IllegalArgumentException("kind: coop, coop-nio, netty, vertx, platform or virtual, not " + kind);
        }
    }

    private static void coop(InetSocketAddress address, boolean channels, int hubs) {
        Coop.run(() -> {
            StreamServer server = channels
                    ? StreamServer.forChannels(address, EchoServer::echoChannel)
                    : new StreamServer(address, (socket, peer) -> {
                        InputStream in = socket.getInputStream();
                        OutputStream out = socket.getOutputStream();
                        byte[] buf = new byte[4096];
                        for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
                    });
            server.setNoDelay(true).setBacklog(4096).hubs(hubs).start();
            System.out.println("ready " + server.address());
            server.serveForever();
            return null;
        });
    }

    /**
     * One read buffer for every connection of the hub, as Netty lends a pooled buffer only while
     * it reads: a greenlet waits for data holding no buffer (an idle connection costs its greenlet
     * and its channel, not 4 KB), and holds the shared one only from its read to the write that
     * empties it. The hub runs one greenlet at a time, so nobody else touches it meanwhile; the
     * rare write that must wait first copies what is left aside.
     */
    private static final ByteBuffer SHARED_READ_BUFFER = ByteBuffer.allocateDirect(4096);

    private static void echoChannel(SocketChannel ch, InetSocketAddress peer) throws IOException {
        ByteBuffer buf = SHARED_READ_BUFFER;
        while (true) {
            Sockets.waitRead(ch, null);
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) return;
            buf.flip();
            ch.write(buf);
            if (buf.hasRemaining()) {
                ByteBuffer rest = ByteBuffer.allocate(buf.remaining()).put(buf).flip();
                while (rest.hasRemaining()) {
                    Sockets.waitWrite(ch, null);
                    ch.write(rest);
                }
            }
        }
    }

    @Sharable
    static final class NettyEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
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

    private static void netty(InetSocketAddress address, int loops) throws InterruptedException {
        NettyEcho echo = new NettyEcho();
        OneLoopNetty.serve(address, loops, "ready ", p -> p.addLast(echo));
    }

    private static void vertx(InetSocketAddress address, int loops) throws Exception {
        VertxLoops.serve(loops, vertx -> vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true).setAcceptBacklog(4096))
                .connectHandler(socket -> {
                    // writes made while reading are flushed once the read ends, as NettyEcho does
                    socket.handler(socket::write);
                    socket.exceptionHandler(e -> socket.close());
                })
                .listen(SocketAddress.inetSocketAddress(address))
                .map(NetServer::actualPort));
    }
}
