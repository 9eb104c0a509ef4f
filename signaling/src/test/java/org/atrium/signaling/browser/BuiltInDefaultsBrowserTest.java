package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.atrium.signaling.AtriumServer;
import org.atrium.signaling.ServerConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The server as the README's run command starts it, with every built-in default (HTTP on
 * 127.0.0.1:8080, media on UDP and TCP 10000, the embedded TURN server on 3478), serves a room
 * whose pages reach each other through that TURN server: two pages forced to relay
 * ({@code ?relay=1}) see and hear each other on loopback. Runs inside the browser tests' own
 * network namespace, where the default ports are free.
 */
@Tag("browser")
class BuiltInDefaultsBrowserTest {

    private static final Duration CONNECT = Duration.ofSeconds(30);

    private static final String RELAYED = """
            const report = await window.atrium.pc.getStats();
            const byId = new Map();
            report.forEach(s => byId.set(s.id, s));
            let pairId = null;
            report.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
            const pair = pairId && byId.get(pairId);
            const local = pair ? byId.get(pair.localCandidateId) || {} : {};
            let frames = 0, audio = 0;
            report.forEach(s => {
              if (s.type === 'inbound-rtp' && s.kind === 'video') frames += s.framesDecoded || 0;
              if (s.type === 'inbound-rtp' && s.kind === 'audio') audio += s.packetsReceived || 0;
            });
            return {type: local.candidateType || '', url: local.url || '', frames, audio};
            """;

    @Test
    void pagesOfTheDefaultServerReachEachOtherThroughItsTurnServer() throws Exception {
        Chromium.assumeInstalled();
        ServerConfig defaults = ServerConfig.from(Map.of(), new String[0]);
        try (AtriumServer server = new AtriumServer(defaults); Chromium chromium = Chromium.launch()) {
            assertEquals(8080, server.httpAddress().getPort());
            assertEquals(3478, server.turn().server().udpAddress().getPort());
            BrowserPage ada = chromium.open("http://127.0.0.1:8080/room/defaults?name=Ada&relay=1");
            BrowserPage bo = chromium.open("http://127.0.0.1:8080/room/defaults?name=Bo&relay=1");
            for (BrowserPage page : List.of(ada, bo)) {
                page.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);
            }
            for (BrowserPage page : List.of(ada, bo)) {
                page.waitUntil("the page decodes the other's video and receives its audio through TURN", CONNECT, () -> {
                    Map<?, ?> seen = (Map<?, ?>) page.evalAsync(RELAYED);
                    return ((Number) seen.get("frames")).longValue() > 20 && ((Number) seen.get("audio")).longValue() > 50;
                });
                Map<?, ?> seen = (Map<?, ?>) page.evalAsync(RELAYED);
                System.out.println(page.eval("return window.atrium.name;") + ": " + seen);
                assertEquals("relay", seen.get("type"), "relayed: " + seen);
                assertTrue(String.valueOf(seen.get("url")).startsWith("turn:127.0.0.1:3478"), "by the embedded server: " + seen);
            }
            assertTrue(server.turn().server().allocationCount() >= 2, "an allocation per page at least");
        }
    }
}
