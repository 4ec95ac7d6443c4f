package io.coop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.coop.testsupport.Jvm;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Starting the agent: a clean start prints nothing, bad options and unsupported JDKs say so in one sentence. */
class AgentStartIT {

    @Test
    void cleanStartPrintsNothing() throws Exception {
        Jvm.Run r = Jvm.agent().run("testapps.HelloApp");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("hello\n", r.out(), r::toString);
        assertEquals("", r.err(), r::toString);
    }

    @Test
    void verboseListsEachPatchedMethod() throws Exception {
        Jvm.Run r = Jvm.agent().options("time,verbose").run("testapps.HelloApp");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.err().contains("coop: patched java.lang.VirtualThread.sleepNanos(J)V"), r::toString);
        assertTrue(!r.err().contains("Thread.start"), "thread is not chosen: " + r);
    }

    @Test
    void unknownOptionNamesTheValidOnes() throws Exception {
        Jvm.Run r = Jvm.agent().options("time,sockets").run("testapps.HelloApp");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("unknown coop option 'sockets'"), r::toString);
        assertTrue(r.err().contains("time, thread, socket, select, dns, subprocess, verbose"), r::toString);
        assertTrue(!r.out().contains("hello"), r::toString);
    }

    @Test
    void oldJdkRunsTheAppUnpatchedAfterOneSentence() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(java17), "no JDK 17 on this machine");
        Path dir = Files.createTempDirectory("coop-java17");
        Path src = dir.resolve("OldHello.java");
        Files.writeString(src, "public class OldHello { public static void main(String[] a) { System.out.println(\"hello\"); } }");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d", dir.toString(), src.toString());
        assertEquals(0, rc, "compiling OldHello");
        Jvm.Run r = Jvm.agent().classpath(dir).runWith(java17.toString(), "OldHello");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("hello\n", r.out(), r::toString);
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r::toString);
        assertTrue(lines[0].startsWith("coop: this JVM is Java 17") && lines[0].contains("coop needs JDK 21 or newer"), r::toString);

        Jvm.Run fail = Jvm.agent().classpath(dir).jvmArg("-Dcoop.onUnsupported=fail").runWith(java17.toString(), "OldHello");
        assertEquals(1, fail.exit(), fail::toString);
        assertTrue(!fail.out().contains("hello"), fail::toString);
    }

    @Test
    void executableJarWithLauncherAgentClassRunsMainAsAGreenlet() throws Exception {
        Path dir = Files.createTempDirectory("coop-launcher");
        Path jar = dir.resolve("app.jar");
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "testapps.SleepApp");
        m.getMainAttributes().putValue("Launcher-Agent-Class", "io.coop.agent.boot.AgentEntry");
        m.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        m.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH,
                Jvm.coopJar().toAbsolutePath().toUri() + " " + Jvm.testClasses().toAbsolutePath().toUri()
                        + " " + Jvm.supportLocation().toAbsolutePath().toUri());
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), m)) {
            // the classes come from the Class-Path
        }
        java.util.List<String> cmd = java.util.List.of(Jvm.java(), "-jar", jar.toString(), "200", "300");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("done=200") && out.contains("osThreads=1"), out);
    }
}
