package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The pages' WebSocket connections die without a close frame (the test kills their TCP
 * sockets, as a NAT rebinding or a proxy restart would) while their media keeps flowing:
 * each page takes its session back on a new connection, as the same participant, and
 * the video never stops.
 */
@org.junit.jupiter.api.Tag("browser")
class SessionResumeBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(30);

    @Test
    void pagesResumeTheirSessionsWhenTheirConnectionsDieAndVideoKeepsFlowing() throws Exception {
        Assumptions.assumeTrue(Chromium.inLoopbackOnlyNamespace(),
                "sockets are killed only inside the test's own network namespace (run ./test.sh)");
        List<BrowserPage> pages = new ArrayList<>();
        for (String name : List.of("Ada", "Bo")) {
            pages.add(chromium.open(server.http("/room/flaky?name=" + name).toString()));
        }
        List<String> ids = new ArrayList<>();
        List<Long> framesBefore = new ArrayList<>();
        for (BrowserPage page : pages) {
            page.waitUntil("video from the other page", CONNECT, () -> framesDecoded(page) > 0);
            page.waitUntilTrue("window.atrium.state === 'connected'", CONNECT);
            ids.add((String) page.eval("return window.atrium.participantId;"));
        }

        int port = server.server().httpAddress().getPort();
        int killed = killSocketsTo(port);
        assertTrue(killed == 0, "ss -K failed: " + killed);
        for (BrowserPage page : pages) {
            framesBefore.add(framesDecoded(page));
        }
        for (int i = 0; i < pages.size(); i++) {
            BrowserPage page = pages.get(i);
            page.waitUntilTrue("window.atrium.resumes >= 1 && window.atrium.state === 'connected'", CONNECT);
            assertEquals(ids.get(i), page.eval("return window.atrium.participantId;"), "the same participant");
            assertEquals(0L, ((Number) page.eval("return window.atrium.reconnects;")).longValue(), "not a rejoin");
            long before = framesBefore.get(i);
            page.waitUntil("video still advancing", Duration.ofSeconds(10), () -> framesDecoded(page) > before + 5);
        }
        assertEquals(2, server.server().sfu().rooms().room("flaky").size());
    }

    private static long framesDecoded(BrowserPage page) {
        return WebRtcStats.read(page, "window.atrium.pc").framesDecoded();
    }

    /** Kills every TCP socket connected to the port, as seen from the client side. */
    private static int killSocketsTo(int port) throws Exception {
        Process ss = new ProcessBuilder("ss", "-K", "dst", "127.0.0.1", "dport", "=", ":" + port)
                .redirectErrorStream(true).start();
        String output = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ss.waitFor(10, TimeUnit.SECONDS)) {
            ss.destroyForcibly();
            return -1;
        }
        System.out.println("ss -K: " + output.strip().replace('\n', ' '));
        return ss.exitValue();
    }
}
