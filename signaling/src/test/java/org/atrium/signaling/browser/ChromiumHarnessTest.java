package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Checks the browser harness against Chromium alone: a page sends its fake camera and microphone
 * from one RTCPeerConnection to another in the same page, over 127.0.0.1.
 */
@Tag("browser")
class ChromiumHarnessTest {

    /**
     * Two peer connections in one page. Only 127.0.0.1 candidates are exchanged; the receiving
     * connection is {@code window.pc}, the sending one {@code window.sender}.
     */
    private static final String LOOPBACK_PAGE =
            """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>loopback</title></head>
            <body>
            <video id="remote" autoplay muted playsinline></video>
            <script>
            window.state = 'starting';
            const loopbackOnly = c => c && c.address === '127.0.0.1';
            (async () => {
                const stream = await navigator.mediaDevices.getUserMedia(
                        {audio: true, video: {width: 320, height: 240, frameRate: 15}});
                const sender = new RTCPeerConnection();
                const pc = new RTCPeerConnection();
                sender.onicecandidate = e => { if (loopbackOnly(e.candidate)) pc.addIceCandidate(e.candidate); };
                pc.onicecandidate = e => { if (loopbackOnly(e.candidate)) sender.addIceCandidate(e.candidate); };
                pc.ontrack = e => { document.getElementById('remote').srcObject = e.streams[0]; };
                stream.getTracks().forEach(t => sender.addTrack(t, stream));
                window.sender = sender;
                window.pc = pc;
                await sender.setLocalDescription();
                await pc.setRemoteDescription(sender.localDescription);
                await pc.setLocalDescription();
                await sender.setRemoteDescription(pc.localDescription);
                window.state = 'negotiated';
            })().catch(e => { window.state = 'failed: ' + e; console.error(e); });
            </script>
            </body></html>
            """;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private HttpServer http;
    private Chromium chromium;

    @BeforeEach
    void start() throws IOException {
        Chromium.assumeInstalled();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext(
                "/loopback.html",
                exchange -> {
                    byte[] body = LOOPBACK_PAGE.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                });
        http.createContext(
                "/favicon.ico",
                exchange -> {
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        http.start();
        chromium = Chromium.launch();
    }

    @AfterEach
    void stop() {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (http != null) {
                http.stop(0);
            }
        }
    }

    private String pageUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/loopback.html";
    }

    @Test
    void framesDecodedAdvanceOverLoopbackPair() {
        BrowserPage page = chromium.open(pageUrl());
        page.waitUntilTrue("window.state === 'negotiated'", CONNECT_TIMEOUT);
        page.waitUntilTrue("window.pc.iceConnectionState === 'connected'"
                + " || window.pc.iceConnectionState === 'completed'", CONNECT_TIMEOUT);
        page.waitUntil(
                "receiver decodes video frames",
                CONNECT_TIMEOUT,
                () -> WebRtcStats.read(page, "window.pc").framesDecoded() > 0);

        WebRtcStats first = WebRtcStats.read(page, "window.pc");
        page.waitUntil(
                "frames decoded advance by 10 after " + first.framesDecoded(),
                CONNECT_TIMEOUT,
                () -> WebRtcStats.read(page, "window.pc").framesDecoded() >= first.framesDecoded() + 10);
        WebRtcStats later = WebRtcStats.read(page, "window.pc");

        assertEquals(1, later.inbound("video").size(), later.toString());
        assertEquals(1, later.inbound("audio").size(), later.toString());
        assertTrue(later.packetsReceived("audio") > 0, later.toString());
        assertTrue(
                later.inbound("video").get(0).bytesReceived() > first.inbound("video").get(0).bytesReceived(),
                later.toString());

        WebRtcStats.CandidatePair pair = later.selectedPair().orElseThrow(() -> new AssertionError(later));
        assertEquals("succeeded", pair.state(), pair.toString());
        assertEquals("127.0.0.1", pair.localAddress(), pair.toString());
        assertEquals("127.0.0.1", pair.remoteAddress(), pair.toString());

        WebRtcStats sent = WebRtcStats.read(page, "window.sender");
        assertTrue(sent.bytesSent() > 0, sent.toString());
        assertEquals(2, sent.outbound().size(), sent.toString());
        assertTrue(sent.selectedPair().orElseThrow().availableOutgoingBitrate() > 0, sent.toString());
    }

    @Test
    void threeBrowsersEachCaptureSendAndDecode() {
        List<BrowserPage> pages = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pages.add(chromium.open(pageUrl()));
        }
        for (BrowserPage page : pages) {
            page.waitUntilTrue("window.state === 'negotiated'", CONNECT_TIMEOUT);
            page.waitUntil(
                    "receiver decodes video frames",
                    CONNECT_TIMEOUT,
                    () -> WebRtcStats.read(page, "window.pc").framesDecoded() > 0);
        }
        long[] before = new long[pages.size()];
        for (int i = 0; i < pages.size(); i++) {
            before[i] = WebRtcStats.read(pages.get(i), "window.pc").framesDecoded();
        }
        for (int i = 0; i < pages.size(); i++) {
            BrowserPage page = pages.get(i);
            long base = before[i];
            page.waitUntil(
                    "page " + i + ": frames decoded advance by 15 after " + base,
                    CONNECT_TIMEOUT,
                    () -> WebRtcStats.read(page, "window.pc").framesDecoded() >= base + 15);
        }
        assertEquals(3, chromium.pages().size());
        pages.get(0).close();
        assertEquals(2, chromium.pages().size());
        assertFalse(chromium.pages().contains(pages.get(0)));
    }

    @Test
    void scriptErrorsCarryTheConsoleLog() {
        BrowserPage page = chromium.open(pageUrl());
        page.eval("console.warn('marker-' + arguments[0]);", 42);
        AssertionError error =
                org.junit.jupiter.api.Assertions.assertThrows(
                        AssertionError.class, () -> page.evalAsync("throw new Error('boom');"));
        assertTrue(error.getMessage().contains("boom"), error.getMessage());
        assertTrue(error.getMessage().contains("marker-42"), error.getMessage());
        assertEquals(7L, page.evalAsync("return await Promise.resolve(3 + 4);"));
    }
}
