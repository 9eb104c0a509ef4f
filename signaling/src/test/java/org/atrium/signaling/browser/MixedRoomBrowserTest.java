package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Chromium and Firefox in one room: two headless Chromium pages and two headless Firefox ESR
 * pages join on the web client, and every page decodes every other page's video and receives its
 * audio through the SFU; a Chromium and a Firefox page chat both ways over the data channel.
 */
@Tag("browser")
class MixedRoomBrowserTest extends ServerAndBrowsers {

    /** From the last join to every page receiving from every other. */
    private static final Duration CONNECT = Duration.ofSeconds(20);
    private static final Duration ADVANCING = Duration.ofSeconds(5);
    private static final Duration CHAT = Duration.ofSeconds(5);

    /** The selected candidate pair and the DTLS-SRTP parameters, as far as the browser reports them. */
    private static final String TRANSPORT = """
            const stats = await window.atrium.pc.getStats();
            const byId = new Map();
            stats.forEach(s => byId.set(s.id, s));
            let pair = null, transport = null;
            stats.forEach(s => {
              if (s.type === 'transport') {
                transport = s;
                if (s.selectedCandidatePairId) pair = byId.get(s.selectedCandidatePairId);
              }
            });
            if (!pair) stats.forEach(s => {
              if (s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded'))) pair = s;
            });
            const c = id => { const x = byId.get(id) || {}; return (x.address || x.ip) + ':' + x.port + ' ' + x.candidateType + '/' + x.protocol; };
            let inbound = 0, withTrack = 0;
            stats.forEach(s => { if (s.type === 'inbound-rtp') { inbound++; if (s.trackIdentifier) withTrack++; } });
            const track = window.atrium.localStream && window.atrium.localStream.getVideoTracks()[0];
            const camera = track ? track.getSettings() : {};
            return {
              camera: camera.width + 'x' + camera.height + '@' + camera.frameRate,
              trackIds: withTrack + '/' + inbound,
              pair: pair ? c(pair.localCandidateId) + ' -> ' + c(pair.remoteCandidateId) : 'n/a',
              srtp: transport && transport.srtpCipher ? transport.srtpCipher : 'n/a',
              dtls: transport && transport.dtlsCipher ? transport.dtlsCipher + ' ' + (transport.tlsVersion || '') : 'n/a',
            };
            """;

    private Firefox firefox;

    @AfterEach
    void stopFirefox() {
        if (firefox != null) {
            firefox.close();
        }
    }

    @Test
    void twoChromiumAndTwoFirefoxPagesDecodeEachOther() {
        long start = System.nanoTime();
        firefox = Firefox.launch();
        // Every browser starts on a blank page first: a browser starts several times faster while
        // no other page encodes and decodes video.
        Map<String, Page> pages = new LinkedHashMap<>();
        pages.put("Ada", chromium.open("about:blank"));
        pages.put("Bo", firefox.open("about:blank"));
        pages.put("Cy", chromium.open("about:blank"));
        pages.put("Di", firefox.open("about:blank"));
        // Chromium's fake camera too at Firefox's small size (Firefox pages have it already).
        pages.get("Ada").preload(Firefox.SMALL_CAMERA);
        pages.get("Cy").preload(Firefox.SMALL_CAMERA);
        pages.values().forEach(page -> page.preload(RECORD_WEBSOCKET_FRAMES));
        long started = System.nanoTime();
        System.out.printf("four browsers started in %d ms%n", (started - start) / 1_000_000);
        pages.forEach((name, page) -> page.navigate(server.http("/room/mixed?name=" + name).toString()));
        Map<Page, String> ids = new LinkedHashMap<>();
        for (Page page : pages.values()) {
            page.waitUntilTrue("window.atrium && window.atrium.participantId", CONNECT);
            ids.put(page, (String) page.eval("return window.atrium.participantId;"));
        }
        long joined = System.nanoTime();
        System.out.printf("all four joined %d ms after the first page began to load%n",
                (joined - started) / 1_000_000);
        assertEquals(4, server.server().sfu().rooms().room("mixed").size());

        // One deadline for all: every page receives from the three others...
        for (Page page : pages.values()) {
            List<String> others = new ArrayList<>(ids.values());
            others.remove(ids.get(page));
            long remaining = Math.max(0, CONNECT.toNanos() - (System.nanoTime() - joined));
            page.waitUntil(page.browser() + " receiving video and audio from " + others, Duration.ofNanos(remaining),
                    () -> receivesFromAll(media(page), others, Map.of()));
        }
        System.out.printf("every page decoding every other %d ms after the last join%n",
                (System.nanoTime() - joined) / 1_000_000);

        // ...and keeps receiving: frames and audio packets advance.
        Map<Page, Map<?, ?>> before = new LinkedHashMap<>();
        for (Page page : pages.values()) {
            before.put(page, media(page));
        }
        for (Map.Entry<String, Page> e : pages.entrySet()) {
            Page page = e.getValue();
            List<String> others = new ArrayList<>(ids.values());
            others.remove(ids.get(page));
            page.waitUntil(page.browser() + " frames and audio advancing from " + others, ADVANCING,
                    () -> receivesFromAll(media(page), others, before.get(page)));
            Map<?, ?> now = media(page);
            Map<?, ?> transport = (Map<?, ?>) page.evalAsync(TRANSPORT);
            StringBuilder frames = new StringBuilder();
            for (Map.Entry<String, Page> other : pages.entrySet()) {
                if (other.getValue() != page) {
                    Map<?, ?> m = (Map<?, ?>) now.get(ids.get(other.getValue()));
                    frames.append(' ').append(other.getKey()).append('=').append(number(m, "frames"))
                            .append("f/").append(number(m, "audioPackets")).append('a');
                }
            }
            System.out.printf("%s (%s, camera %s, inbound-rtp with trackIdentifier %s): pair %s, SRTP %s, DTLS %s;"
                    + " frames/audio packets from others:%s%n", e.getKey(), page.browser(), transport.get("camera"),
                    transport.get("trackIds"), transport.get("pair"), transport.get("srtp"), transport.get("dtls"), frames);
        }

        // Chat between Chromium and Firefox, through the room page's Message box: over the
        // data channel, not the WebSocket.
        chat(pages.get("Ada"), "Ada", "hello from chromium", pages.values());
        chat(pages.get("Bo"), "Bo", "hello from firefox", pages.values());
        for (String name : List.of("Ada", "Bo")) {
            Page page = pages.get(name);
            Map<?, ?> channel = (Map<?, ?>) page.evalAsync(CHAT_CHANNEL_STATS);
            System.out.printf("%s (%s) chat channel stats: %s%n", name, page.browser(), channel);
            // Each sent one message on its data channel and received the other's.
            assertTrue(number(channel, "messagesSent") >= 1, name + " sent on the data channel: " + channel);
            assertTrue(number(channel, "messagesReceived") >= 1, name + " received on it: " + channel);
            assertEquals(0L, page.eval("return window.__wsSent.filter(f => f.includes('hello from')).length;"),
                    name + " sent no chat text over the WebSocket");
        }
        System.out.printf("test body %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    /** Every text frame the page's WebSocket sends, in {@code window.__wsSent}. */
    private static final String RECORD_WEBSOCKET_FRAMES = """
            window.__wsSent = [];
            const send = WebSocket.prototype.send;
            WebSocket.prototype.send = function (data) {
              if (typeof data === 'string') window.__wsSent.push(data);
              return send.call(this, data);
            };
            """;

    /** The getStats entry of the page's "chat" data channel (Chromium and Firefox ESR both report one), or {}. */
    private static final String CHAT_CHANNEL_STATS = """
            const stats = await window.atrium.pc.getStats();
            let found = {};
            stats.forEach(s => { if (s.type === 'data-channel' && s.label === 'chat') found = {
              messagesSent: s.messagesSent, messagesReceived: s.messagesReceived, state: s.state }; });
            return found;
            """;

    /**
     * Types {@code text} into the sender's Message box and presses Send; every other page shows
     * "NAME: TEXT" in its Chat log.
     */
    private static void chat(Page sender, String name, String text, java.util.Collection<Page> pages) {
        // Every page's chat channel is open (Send is enabled then): a message reaches only those.
        for (Page page : pages) {
            page.waitUntilTrue("[...document.querySelectorAll('button')].some(b => b.textContent.trim() === 'Send'"
                    + " && !b.disabled)", CONNECT);
        }
        sender.eval("""
                const input = document.querySelector('input[aria-label="Message"]');
                input.value = arguments[0];
                input.dispatchEvent(new Event('input', {bubbles: true}));
                [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Send').click();
                """, text);
        String line = name + ": " + text;
        for (Page page : pages) {
            if (page != sender) {
                page.waitUntil(page.browser() + " shows '" + line + "' in its Chat log", CHAT,
                        () -> Boolean.TRUE.equals(page.eval("""
                                const log = document.querySelector('[role="log"][aria-label="Chat"]');
                                return !!log && [...log.children].some(item => item.textContent.includes(arguments[0]));
                                """, line)));
            }
        }
    }

    /** Every participant's frames and audio packets above {@code floor}'s (an empty floor: above 0). */
    private static boolean receivesFromAll(Map<?, ?> media, List<String> participants, Map<?, ?> floor) {
        for (String id : participants) {
            Map<?, ?> is = (Map<?, ?>) media.get(id);
            Map<?, ?> was = (Map<?, ?>) floor.get(id);
            if (is == null || number(is, "frames") <= number(was, "frames")
                    || number(is, "audioPackets") <= number(was, "audioPackets")) {
                return false;
            }
        }
        return true;
    }

    private static Map<?, ?> media(Page page) {
        return WebRtcStats.mediaByParticipant(page);
    }

    private static long number(Map<?, ?> map, String key) {
        Object value = map == null ? null : map.get(key);
        return value instanceof Number n ? n.longValue() : 0;
    }
}
