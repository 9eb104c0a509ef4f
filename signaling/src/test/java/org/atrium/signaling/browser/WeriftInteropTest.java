package org.atrium.signaling.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;

/**
 * werift (TypeScript, npm 0.24.x on Node.js 20) and Chromium in one room, through
 * {@code signaling/src/test/interop/werift/werift_client.mjs}. werift has no codecs: GStreamer
 * ({@code gst_rtp.py}) encodes and decodes for it over loopback UDP.
 */
@Tag("browser")
class WeriftInteropTest extends InteropTest {

    private static final Path NODE = Path.of("/usr/bin/node");

    @Override
    protected String stack() {
        return "werift";
    }

    @Override
    protected void assumeInstalled(Path scripts) {
        Path dir = scripts.resolve("werift");
        Assumptions.assumeTrue(Files.isExecutable(NODE) && Files.isDirectory(dir.resolve("node_modules/werift"))
                        && GstInteropTest.installed(),
                () -> "werift tests need " + NODE + ", `npm ci` in " + dir + " and GStreamer (see GstInteropTest);"
                        + " run ./test.sh, which installs them");
    }

    @Override
    protected List<String> command(Path scripts, String signalingUrl, String room, String name) {
        // Node.js 20 has the WebSocket client only behind this flag.
        return List.of(NODE.toString(), "--experimental-websocket", "--no-warnings",
                scripts.resolve("werift/werift_client.mjs").toString(), signalingUrl, room, name);
    }
}
