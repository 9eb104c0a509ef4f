package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.atrium.signaling.TestServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The web client comes back by itself: two pages share a room, the server restarts on the
 * same port, and both pages join again (with backoff) and see each other's video again,
 * with no one touching them.
 */
@Tag("browser")
class ReconnectBrowserTest extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(30);
    private int httpPort;

    @Override
    protected TestServer startServer() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            httpPort = probe.getLocalPort();
        }
        return TestServer.startOnPort(httpPort);
    }

    @Test
    void pagesRejoinByThemselvesAfterAServerRestart() throws Exception {
        List<BrowserPage> pages = new ArrayList<>();
        for (String name : List.of("Ada", "Bo")) {
            pages.add(chromium.open(server.http("/room/again?name=" + name).toString()));
        }
        List<String> firstIds = new ArrayList<>();
        for (BrowserPage page : pages) {
            awaitVideoFromTheOther(page);
            firstIds.add((String) page.eval("return window.atrium.participantId;"));
        }

        long stopped = System.nanoTime();
        server.close();
        server = null;
        for (BrowserPage page : pages) {
            page.waitUntilTrue("['reconnecting', 'disconnected'].includes(window.atrium.state)", CONNECT);
        }
        server = restart();

        for (int i = 0; i < pages.size(); i++) {
            BrowserPage page = pages.get(i);
            page.waitUntilTrue("window.atrium.state === 'connected' && window.atrium.reconnects >= 1", CONNECT);
            awaitVideoFromTheOther(page);
            String id = (String) page.eval("return window.atrium.participantId;");
            assertNotEquals(firstIds.get(i), id, "a new participant in the new server");
        }
        System.out.printf("both pages back with video %d ms after the server stopped%n",
                (System.nanoTime() - stopped) / 1_000_000);
        assertTrue(server.server().sfu().rooms().room("again").size() == 2);
    }

    /** The new server on the old port; the old one's port may take a moment to be free. */
    private TestServer restart() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return TestServer.startOnPort(httpPort);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                BrowserPage.sleep(Duration.ofMillis(200));
            }
        }
    }

    private static void awaitVideoFromTheOther(BrowserPage page) {
        page.waitUntil("video from the other page", CONNECT, () -> {
            WebRtcStats stats = WebRtcStats.read(page, "window.atrium.pc");
            return stats.inbound("video").stream().anyMatch(s -> s.framesDecoded() > 0);
        });
    }
}
