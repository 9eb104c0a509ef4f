package org.atrium.signaling.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;

/**
 * GStreamer's webrtcbin (1.22, Debian packages) and Chromium in one room, through
 * {@code signaling/src/test/interop/gst_client.py}: VP8 and Opus both ways. webrtcbin's DTLS
 * certificate is RSA, so this also covers an RSA client certificate.
 */
@Tag("browser")
class GstInteropTest extends InteropTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path PY = Path.of("/usr/lib/python3/dist-packages");
    /** Where Debian puts GStreamer's plugins and typelibs, on any architecture. */
    private static final Path LIB = Path.of("/usr/lib");

    @Override
    protected String stack() {
        return "gstreamer";
    }

    @Override
    protected void assumeInstalled(Path scripts) {
        Assumptions.assumeTrue(installed(), "GStreamer tests need Debian gstreamer1.0-plugins-{base,good,bad}, gstreamer1.0-nice,"
                + " python3-gst-1.0, gir1.2-gst-plugins-bad-1.0 and python3-websockets; run ./test.sh, which installs them");
    }

    /** GStreamer with webrtcbin, libnice, and the Python bindings. */
    static boolean installed() {
        return Files.isExecutable(PYTHON) && Files.isRegularFile(PY.resolve("gi/overrides/Gst.py"))
                && Files.isDirectory(PY.resolve("websockets")) && found("libgstwebrtc.so")
                && found("libgstnice.so") && found("GstWebRTC-1.0.typelib");
    }

    /** Whether a file of that name is in /usr/lib/<triplet>/{gstreamer-1.0,girepository-1.0}. */
    static boolean found(String name) {
        try (var triplets = Files.list(LIB)) {
            return triplets.anyMatch(dir -> Files.isRegularFile(dir.resolve("gstreamer-1.0").resolve(name))
                    || Files.isRegularFile(dir.resolve("girepository-1.0").resolve(name)));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    protected List<String> command(Path scripts, String signalingUrl, String room, String name) {
        return List.of(PYTHON.toString(), "-u", scripts.resolve("gst_client.py").toString(), signalingUrl, room, name);
    }
}
