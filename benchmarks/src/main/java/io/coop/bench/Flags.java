package io.coop.bench;

/**
 * JVM flags of the forked benchmark JVMs, as compile-time constants for {@code @Fork}.
 *
 * <pre>{@code
 * @Fork(jvmArgsAppend = {Flags.OPENS, Flags.HEAP})
 * }</pre>
 */
public final class Flags {
    /** What coop needs without the agent: virtual threads scheduled by the hub. */
    public static final String OPENS = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    /** What the raw-continuation baseline needs. */
    public static final String EXPORTS_VM = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";
    /** A fixed heap, so that GC sizing does not move between runs. */
    public static final String HEAP_MIN = "-Xms512m";
    public static final String HEAP_MAX = "-Xmx512m";
    /** Virtual threads on ONE carrier of the JDK's default scheduler. */
    public static final String ONE_CARRIER = "-Djdk.virtualThreadScheduler.parallelism=1";
    public static final String ONE_CARRIER_MAX = "-Djdk.virtualThreadScheduler.maxPoolSize=1";

    private Flags() {
    }
}
