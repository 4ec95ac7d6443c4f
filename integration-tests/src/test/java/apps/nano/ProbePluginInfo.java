package apps.nano;

import fi.iki.elonen.NanoHTTPD;
import fi.iki.elonen.WebServerPlugin;
import fi.iki.elonen.WebServerPluginInfo;
import io.coop.testsupport.Probe;
import java.io.File;
import java.util.List;
import java.util.Map;

/**
 * A NanoHTTPD SimpleWebServer plugin (found by its own ServiceLoader, as plugins are) that
 * serves files ending in ".coop": it waits {@code ?sleep=MS} milliseconds, as a handler waiting
 * on something would, and answers with the OS thread that ran it, read from /proc/thread-self,
 * so the client side can tell which OS threads ran handler code.
 *
 * <pre>{@code
 * GET /probe.coop?sleep=200   ->   "probe 4242/task/4243"
 * }</pre>
 */
public final class ProbePluginInfo implements WebServerPluginInfo {
    static final String MIME = "text/x-coop-probe";

    @Override
    public String[] getMimeTypes() {
        return new String[] {MIME};
    }

    @Override
    public String[] getIndexFilesForMimeType(String mime) {
        return new String[] {"probe.coop"}; // maps the extension "coop" to MIME
    }

    @Override
    public WebServerPlugin getWebServerPlugin(String mimeType) {
        return new WebServerPlugin() {
            @Override
            public void initialize(Map<String, String> options) {
            }

            @Override
            public boolean canServeUri(String uri, File rootDir) {
                return new File(rootDir, uri).isFile();
            }

            @Override
            public NanoHTTPD.Response serveFile(String uri, Map<String, String> headers, NanoHTTPD.IHTTPSession session, File file, String mime) {
                List<String> sleep = session.getParameters().get("sleep");
                if (sleep != null) {
                    try {
                        Thread.sleep(Long.parseLong(sleep.get(0)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return NanoHTTPD.newFixedLengthResponse(NanoHTTPD.Response.Status.OK, "text/plain", "probe " + Probe.threadSelf());
            }
        };
    }
}
