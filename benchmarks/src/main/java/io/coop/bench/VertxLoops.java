package io.coop.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Vert.x servers of the comparisons, set up alike: {@code loops} event loops on the JDK's NIO
 * transport and one server instance per loop (Vert.x's own way to use several loops: every
 * instance listens on the same port, Vert.x's acceptor thread hands each new connection to the
 * next instance in turn). Serves until the process is killed.
 *
 * <pre>{@code
 * VertxLoops.serve(2, vertx -> vertx.createNetServer(options).connectHandler(..).listen(address).map(s -> s.actualPort()));
 * }</pre>
 */
public final class VertxLoops {
    private VertxLoops() {
    }

    /**
     * Starts Vert.x with {@code loops} event loops, runs {@code listen} once on each (it returns
     * the bound port), prints {@code ready 127.0.0.1:port} and blocks until the process is killed.
     */
    public static void serve(int loops, Function<Vertx, Future<Integer>> listen) throws Exception {
        if (loops < 1) throw new IllegalArgumentException("loops must be at least 1, not " + loops);
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(loops)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                // the JDK's NIO transport, as the netty kind uses, even if a native one joins the class path
                .setPreferNativeTransport(false)
                // nothing here blocks: keep the checker from warning about GC pauses on a busy machine
                .setBlockedThreadCheckInterval(1)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.DAYS)
                // no class-path file cache directory in the temp dir
                .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false)));
        int[] port = new int[1];
        vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                return listen.apply(vertx).onSuccess(p -> port[0] = p);
            }
        }, new DeploymentOptions().setInstances(loops)).await();
        System.out.println("ready 127.0.0.1:" + port[0]);
        Thread.currentThread().join(); // serve until killed, as the other kinds do
    }
}
