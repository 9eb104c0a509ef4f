package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Another WebRTC stack and a headless Chromium room page in one room, both ways round: the
 * stack joining first (so that it answers a renegotiation when Chromium joins) and joining after
 * Chromium (mid-stream). Each decodes the other's video and audio, and keeps doing so. The stack
 * runs as a script of ours under {@code signaling/src/test/interop} (see {@link InteropClient})
 * that knows Atrium only from docs/signaling.md, so this also tests that the document suffices.
 */
abstract class InteropTest extends ServerAndBrowsers {

    /** From the second join to both sides decoding: includes ICE, DTLS and a renegotiation. */
    private static final Duration CONNECT = Duration.ofSeconds(20);
    private static final Duration JOIN = Duration.ofSeconds(20);
    private static final Duration ADVANCING = Duration.ofSeconds(5);
    private static final String ROOM = "interop";

    private InteropClient client;

    /** The stack's name, for messages ("aiortc"). */
    protected abstract String stack();

    /** Skips the test (JUnit assumption) when the stack is not installed. */
    protected abstract void assumeInstalled(Path scripts);

    /** The command that starts the stack's script, run in {@code scripts}. */
    protected abstract List<String> command(Path scripts, String signalingUrl, String room, String name);

    @BeforeEach
    final void assumeStackInstalled() {
        assumeInstalled(scriptsDir());
    }

    @AfterEach
    final void stopClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void stackJoinsFirstThenChromium() {
        long start = System.nanoTime();
        startClient();
        String stackId = client.awaitJoined(JOIN);
        BrowserPage page = chromium.open(server.http("/room/" + ROOM + "?name=Chromium").toString());
        page.waitUntilTrue("window.atrium && window.atrium.participantId", JOIN);
        String chromiumId = (String) page.eval("return window.atrium.participantId;");
        assertBothDecode(page, chromiumId, stackId);
        // Chromium's tracks reached the stack through a renegotiation: a later offer it answered.
        assertTrue(client.lastAnsweredOffer() >= 2, () -> "answered offers up to " + client.lastAnsweredOffer()
                + "\n" + client.diagnostics());
        System.out.printf("%s first, then Chromium: test body %d ms%n", stack(), (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void chromiumJoinsFirstThenStack() {
        long start = System.nanoTime();
        BrowserPage page = chromium.open(server.http("/room/" + ROOM + "?name=Chromium").toString());
        page.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", JOIN);
        String chromiumId = (String) page.eval("return window.atrium.participantId;");
        startClient();
        String stackId = client.awaitJoined(JOIN);
        assertBothDecode(page, chromiumId, stackId);
        System.out.printf("Chromium first, then %s: test body %d ms%n", stack(), (System.nanoTime() - start) / 1_000_000);
    }

    private void startClient() {
        Path scripts = scriptsDir();
        client = InteropClient.start(stack(), command(scripts, server.webSocket().toString(), ROOM, stack()), scripts);
    }

    /** Both sides decode each other's video and audio, and a few seconds later have decoded more. */
    private void assertBothDecode(BrowserPage page, String chromiumId, String stackId) {
        long joined = System.nanoTime();
        client.waitUntil("decoded video and audio from Chromium " + chromiumId, CONNECT,
                () -> client.decoded("video", chromiumId) > 0 && client.decoded("audio", chromiumId) > 0);
        long remaining = Math.max(0, CONNECT.toNanos() - (System.nanoTime() - joined));
        waitOnPage(page, "Chromium decoding video and receiving audio from " + stack() + " " + stackId,
                Duration.ofNanos(remaining), () -> frames(media(page, stackId)) > 0 && audio(media(page, stackId)) > 0);
        System.out.printf("%s and Chromium decoding each other %d ms after the second join%n", stack(),
                (System.nanoTime() - joined) / 1_000_000);

        long videoBefore = client.decoded("video", chromiumId);
        long audioBefore = client.decoded("audio", chromiumId);
        Map<?, ?> pageBefore = media(page, stackId);
        client.waitUntil("video and audio from Chromium advancing", ADVANCING,
                () -> client.decoded("video", chromiumId) > videoBefore
                        && client.decoded("audio", chromiumId) > audioBefore);
        waitOnPage(page, "video and audio from " + stack() + " advancing", ADVANCING,
                () -> frames(media(page, stackId)) > frames(pageBefore)
                        && audio(media(page, stackId)) > audio(pageBefore));
        Map<?, ?> pageNow = media(page, stackId);
        System.out.printf("%s decoded from Chromium: %d video frames, %d audio frames; Chromium from %s:"
                        + " %d video frames, %d audio packets%n", stack(), client.decoded("video", chromiumId),
                client.decoded("audio", chromiumId), stack(), frames(pageNow), audio(pageNow));
    }

    /** {@link Page#waitUntil}, with the stack's output in the failure message. */
    private void waitOnPage(BrowserPage page, String description, Duration timeout, BooleanSupplier condition) {
        try {
            page.waitUntil(description, timeout, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + client.diagnostics(), e);
        }
    }

    /** Frames decoded and audio packets received from one remote participant of the page; empty before any. */
    private static Map<?, ?> media(BrowserPage page, String participantId) {
        Map<?, ?> media = (Map<?, ?>) WebRtcStats.mediaByParticipant(page).get(participantId);
        return media == null ? Map.of() : media;
    }

    private static long frames(Map<?, ?> media) {
        return media.get("frames") instanceof Number n ? n.longValue() : 0;
    }

    private static long audio(Map<?, ?> media) {
        return media.get("audioPackets") instanceof Number n ? n.longValue() : 0;
    }

    /** {@code signaling/src/test/interop}, from the module's directory (Maven's working directory). */
    static Path scriptsDir() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path dir = module.resolve("src/test/interop");
        if (!Files.isDirectory(dir)) {
            dir = module.resolve("signaling/src/test/interop");
        }
        return dir.toAbsolutePath();
    }
}
