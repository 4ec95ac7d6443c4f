package io.coop.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The Netty servers of the comparisons, set up alike: ONE NIO event loop for accepting and I/O
 * (or {@code loops} of them in one group, for the scaling comparison: the loop that accepts
 * hands each new connection to the next loop of the group in turn), backlog 4096,
 * {@code TCP_NODELAY}. Serves until the process is killed.
 *
 * <pre>{@code
 * OneLoopNetty.serve(address, "ready ", p -> p.addLast(handler));
 * OneLoopNetty.serve(address, 2, "ready ", p -> p.addLast(handler));
 * }</pre>
 */
public final class OneLoopNetty {
    private OneLoopNetty() {
    }

    /** Binds {@code address}, prints {@code readyPrefix} and the bound address, serves until killed. */
    public static void serve(InetSocketAddress address, String readyPrefix, Consumer<ChannelPipeline> pipeline)
            throws InterruptedException {
        serve(address, 1, readyPrefix, pipeline);
    }

    /** As {@link #serve(InetSocketAddress, String, Consumer)} on a group of {@code loops} NIO event loops. */
    public static void serve(InetSocketAddress address, int loops, String readyPrefix, Consumer<ChannelPipeline> pipeline)
            throws InterruptedException {
        if (loops < 1) throw new IllegalArgumentException("loops must be at least 1, not " + loops);
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(loops, NioIoHandler.newFactory());
        try {
            Channel bound = new ServerBootstrap()
                    .group(loop, loop)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            pipeline.accept(ch.pipeline());
                        }
                    })
                    .bind(address).sync().channel();
            System.out.println(readyPrefix + bound.localAddress());
            bound.closeFuture().sync();
        } finally {
            loop.shutdownGracefully();
        }
    }
}
