package org.atrium.signaling.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;

/**
 * aiortc (Python; Debian {@code python3-aiortc}, aiortc 1.4) and Chromium in one room, through
 * {@code signaling/src/test/interop/aiortc_client.py}: VP8 and Opus both ways.
 */
@Tag("browser")
class AiortcInteropTest extends InteropTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Override
    protected String stack() {
        return "aiortc";
    }

    @Override
    protected void assumeInstalled(Path scripts) {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON) && Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/aiortc"))
                        && Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/websockets")),
                "aiortc tests need Debian python3-aiortc and python3-websockets; run ./test.sh, which installs them");
    }

    @Override
    protected List<String> command(Path scripts, String signalingUrl, String room, String name) {
        // -u: unbuffered, so that each progress line reaches the test at once.
        return List.of(PYTHON.toString(), "-u", scripts.resolve("aiortc_client.py").toString(), signalingUrl, room, name);
    }
}
