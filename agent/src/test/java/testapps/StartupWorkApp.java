package testapps;

import io.coop.testsupport.Probe;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Start-up work, then a real blocking problem: a thread loads JDK classes (not
 * initialized) for 600 ms without yielding, as a framework's start-up does; then another
 * computes for 400 ms.
 */
public class StartupWorkApp {
    public static void main(String[] args) throws Exception {
        Probe.start();
        Thread loader = new Thread(StartupWorkApp::loadClasses, "loader");
        loader.start();
        loader.join();
        Probe.sleep(50);
        Thread cruncher = new Thread(() -> BlockingApp.spin(400), "cruncher");
        cruncher.start();
        cruncher.join();
        Probe.result("done=true");
    }

    /** Loads the JDK's classes as they are listed, for 600 ms (each module has hundreds; java.base alone takes longer than that). */
    static void loadClasses() {
        long t0 = System.nanoTime();
        int[] loaded = {0};
        try (Stream<Path> files = Files.walk(FileSystems.getFileSystem(URI.create("jrt:/")).getPath("/modules"))) {
            files.map(Path::toString).filter(p -> p.endsWith(".class") && !p.endsWith("module-info.class"))
                    .takeWhile(p -> System.nanoTime() - t0 < 600_000_000L).forEach(p -> {
                        String name = p.substring(p.indexOf('/', "/modules/".length()) + 1, p.length() - ".class".length()).replace('/', '.');
                        try {
                            Class.forName(name, false, ClassLoader.getSystemClassLoader());
                            loaded[0]++;
                        } catch (ClassNotFoundException | LinkageError e) {
                            // not loadable on its own: skip it
                        }
                    });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        System.out.println("loaded " + loaded[0] + " classes in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
}
