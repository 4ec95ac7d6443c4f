package io.coop.junit;

import io.coop.Config;
import io.coop.Coop;
import io.coop.Schedule;
import io.coop.agent.CoopAgent;
import io.coop.monkey.Monkey;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * The engine of {@link CoopTest}: one invocation per run (per seed, or one first-in-first-out),
 * each running the test method through {@link Coop#run(Schedule, java.util.concurrent.Callable)}.
 * Referenced by the annotation; not meant to be registered by hand.
 */
public final class CoopExtension implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, CoopTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Method method = context.getRequiredTestMethod();
        CoopTest spec = AnnotationSupport.findAnnotation(method, CoopTest.class).orElseThrow();
        return seedsOf(spec, method).mapToObj(seed -> new Run(spec, method, seed));
    }

    /** The seeds to run: one per invocation; {@link CoopTest#NO_SEED} alone for the first-in-first-out run. */
    static LongStream seedsOf(CoopTest spec, Method method) {
        String where = "@CoopTest on " + method.getDeclaringClass().getSimpleName() + "." + method.getName() + ": ";
        if (spec.seeds() < 0) throw new ExtensionConfigurationException(where + "seeds must not be negative: " + spec.seeds());
        if (spec.seeds() > 0 && spec.seed() != CoopTest.NO_SEED) {
            throw new ExtensionConfigurationException(where + "give seeds (a search) or seed (a replay), not both");
        }
        if (spec.strategy() == Schedule.Strategy.FIFO) {
            throw new ExtensionConfigurationException(where + "strategy picks how a seed orders the run (RANDOM or PCT); "
                    + "for first in first out leave seeds and seed unset");
        }
        if (spec.seed() != CoopTest.NO_SEED) return LongStream.of(spec.seed());
        if (spec.seeds() == 0) return LongStream.of(CoopTest.NO_SEED);
        return LongStream.range(0, spec.seeds()).map(i -> spec.seedBase() + i);
    }

    /** One run of the test method: its name in the report, and how it is run. */
    private static final class Run implements TestTemplateInvocationContext, InvocationInterceptor {
        private final CoopTest spec;
        private final Method method;
        private final long seed;

        Run(CoopTest spec, Method method, long seed) {
            this.spec = spec;
            this.method = method;
            this.seed = seed;
        }

        private boolean seeded() {
            return seed != CoopTest.NO_SEED;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return seeded() ? "seed " + seed : "first in first out";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        @Override
        public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                ExtensionContext extensionContext) throws Throwable {
            ensurePatched();
            Path trace = traceFile();
            Schedule schedule = seeded()
                    ? Schedule.seeded(seed).withStrategy(spec.strategy()).withVirtualTime(spec.virtualTime())
                    : Schedule.fifo();
            schedule = schedule.withTrace(trace);
            try {
                Coop.run(schedule, () -> {
                    try {
                        invocation.proceed();
                    } catch (Exception | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new java.util.concurrent.ExecutionException(t);
                    }
                    return null;
                });
            } catch (Throwable thrown) {
                // Coop.run wraps a checked exception of the body in a CompletionException: report the test's own
                Throwable failure = thrown instanceof java.util.concurrent.CompletionException && thrown.getCause() != null
                        ? thrown.getCause() : thrown;
                if (failure instanceof TestAbortedException) {
                    Files.deleteIfExists(trace);
                    throw failure;
                }
                throw new AssertionError(describeFailure(trace, failure), failure);
            }
            Files.deleteIfExists(trace); // kept only where it explains a failure
        }

        private String describeFailure(Path trace, Throwable failure) {
            String test = method.getDeclaringClass().getSimpleName() + "." + method.getName();
            StringBuilder sb = new StringBuilder();
            if (seeded()) {
                sb.append(test).append(" failed with seed ").append(seed).append(": ").append(failure);
                sb.append("\n  replay it: @CoopTest(seed = ").append(seed);
                if (spec.strategy() != Schedule.Strategy.RANDOM) sb.append(", strategy = Schedule.Strategy.").append(spec.strategy());
                if (!spec.virtualTime()) sb.append(", virtualTime = false");
                sb.append(')');
            } else {
                sb.append(test).append(" failed (first in first out): ").append(failure);
            }
            sb.append("\n  trace of this run: ").append(trace.toAbsolutePath());
            return sb.toString();
        }

        private Path traceFile() throws IOException {
            String dir = Config.get("traceDir");
            Path base = dir == null || dir.isBlank() ? Path.of("target", "coop-traces") : Path.of(dir.trim());
            Files.createDirectories(base);
            String name = method.getDeclaringClass().getName() + "." + method.getName() + (seeded() ? "-seed-" + seed : "-fifo") + ".trace";
            return base.resolve(name);
        }
    }

    /** The agent's patches, attached now when the JVM was started without {@code -javaagent:coop.jar}. */
    private static void ensurePatched() {
        if (!CoopAgent.isInstalled()) Monkey.patchAll();
    }
}
