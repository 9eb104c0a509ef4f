package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.atrium.sfu.turn.TurnServer;
import org.atrium.signaling.turn.TurnSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A page on a network that lets little through still exchanges audio and video with a normal page
 * in the same room. In a lab of network namespaces, the server serves HTTPS with a certificate the
 * test made (its CA trusted by the lab's browsers), with ICE-TCP and its embedded TURN server over
 * UDP, TCP and TLS; a normal page N publishes in room "reach", and each test puts one more page X
 * on a network of its own:
 *
 * <ol>
 *   <li>no UDP at all (nftables drops it): ICE-TCP or TURN over TCP;
 *   <li>only TCP to the TURN server's TLS port (and the page's HTTPS port): TURN over TLS;
 *   <li>{@code iceTransportPolicy: "relay"} (the page's {@code ?relay=1}): the embedded TURN server;
 *   <li>behind a symmetric NAT that maps every destination to a new port;
 *   <li>relay forced, with a second server configured for an external TURN server: Debian's coturn
 *       with {@code use-auth-secret}, its embedded one off.
 * </ol>
 *
 * And N itself, on an open network, uses direct UDP although ICE-TCP and TURN are offered too.
 * Each check: X decodes N's video and receives N's audio, and N decodes X's video and receives X's
 * audio. How X got through is read from X's own getStats() (the selected pair's local candidate:
 * its type, protocol, relay protocol and TURN URL) and printed, with the SFU's view from the
 * admin API. Two browsers at a time; X's page is closed before the next test.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReachabilityLabTest {

    private static final String ROOM = "reach";
    private static final Duration CONNECT = Duration.ofSeconds(45);
    private static final Duration EXCHANGE = Duration.ofSeconds(30);
    private static final LabChromium.Camera CAMERA = LabChromium.Camera.pattern(320, 240, 15);

    /** How the page's selected candidate pair reaches the server, from the browser's getStats(). */
    private static final String SELECTED_PATH = """
            const report = await window.atrium.pc.getStats();
            const byId = new Map();
            report.forEach(s => byId.set(s.id, s));
            let pairId = null;
            report.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
            const pair = pairId && byId.get(pairId);
            if (!pair) return null;
            const local = byId.get(pair.localCandidateId) || {};
            const remote = byId.get(pair.remoteCandidateId) || {};
            return {localType: local.candidateType || '', protocol: local.protocol || '',
                    relayProtocol: local.relayProtocol || '', url: local.url || '',
                    remote: (remote.address || '') + ':' + (remote.port || 0) + '/' + (remote.protocol || '')};
            """;

    private Path certificates;
    private NetworkLab lab;
    private TestCertificates tls;
    private LabServer server;
    private LabChromium chromium;
    private BrowserPage normal;

    @BeforeAll
    void startLab() throws Exception {
        Chromium.assumeInstalled();
        certificates = Files.createTempDirectory("atrium-reach-certs-");
        lab = NetworkLab.create();
        tls = TestCertificates.create(certificates, NetworkLab.SERVER_ADDRESS);
        server = LabServer.start(lab, config -> config.withTls(tls.chainPem(), tls.keyPem())
                .withTurn(TurnSettings.ephemeral(lab.serverAddress())));
        chromium = LabChromium.launch(lab, server.origin()).trustCa(tls.caPem());
        normal = chromium.open(lab.addClient("N"), server.http("/room/" + ROOM + "?name=N"), CAMERA);
        normal.waitUntilTrue("window.atrium && window.atrium.state === 'connected' && window.atrium.participantId",
                CONNECT);
    }

    @AfterAll
    void stopLab() {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                if (lab != null) {
                    lab.close();
                }
                Chromium.deleteRecursively(certificates);
            }
        }
    }

    @Test
    @Order(0)
    void aPageOnAnOpenNetworkUsesUdpThoughTcpAndTurnAreOffered() {
        Map<?, ?> path = (Map<?, ?>) normal.evalAsync(SELECTED_PATH);
        System.out.println("the normal page uses " + describe(path));
        assertEquals("udp", path.get("protocol"), "direct UDP, not ICE-TCP or TURN: " + path);
        assertEquals("host", path.get("localType"), "direct UDP, not ICE-TCP or TURN: " + path);
    }

    @Test
    @Order(1)
    void aPageWithoutUdpComesInOverTcp() {
        LabHost host = lab.addClient("no-udp");
        lab.blockUdp(host);
        Map<?, ?> path = exchangesMediaWithTheNormalPage(host, "?name=X1");
        assertEquals("tcp", transportOf(path), "with UDP dropped, the media rides TCP: " + path);
    }

    @Test
    @Order(2)
    void aPageAllowedOnlyTlsToTheTurnPortComesInThroughTurnOverTls() {
        LabHost host = lab.addClient("tls-only");
        TurnServer turn = server.server().turn().server();
        lab.allowOnlyTcpTo(host, Set.of(turn.tlsAddress().getPort(), server.origin().getPort()));
        Map<?, ?> path = exchangesMediaWithTheNormalPage(host, "?name=X2");
        assertEquals("relay", path.get("localType"), "through the TURN server: " + path);
        assertEquals("tls", path.get("relayProtocol"), "over TLS: " + path);
    }

    @Test
    @Order(3)
    void aPageForcedToRelayComesInThroughTheEmbeddedTurnServer() {
        LabHost host = lab.addClient("relay");
        Map<?, ?> path = exchangesMediaWithTheNormalPage(host, "?name=X3&relay=1");
        assertEquals("relay", path.get("localType"), "relayed: " + path);
        // Over UDP or TCP: with ephemeral ports the two listeners have different ones.
        TurnServer turn = server.server().turn().server();
        String url = String.valueOf(path.get("url"));
        assertTrue(url.contains(":" + turn.udpAddress().getPort() + "?") || url.contains(":" + turn.tcpAddress().getPort() + "?"),
                "through the embedded server: " + path);
    }

    @Test
    @Order(4)
    void aPageBehindASymmetricNatComesIn() {
        LabHost host = lab.addClientBehindNat("nat");
        Map<?, ?> path = exchangesMediaWithTheNormalPage(host, "?name=X4");
        System.out.println("behind a symmetric NAT the page used " + describe(path));
    }

    @Test
    @Order(5)
    void aPageForcedToRelayComesInThroughAnExternalCoturn() throws Exception {
        // N's browser stays: a second server and a second normal page share the two cores with it,
        // so N's page is closed first.
        normal.close();
        try (Coturn coturn = Coturn.start(lab, null);
                LabServer withCoturn = LabServer.start(lab, config -> config.withTls(tls.chainPem(), tls.keyPem())
                        .withTurn(TurnSettings.off().withExternal(List.of(coturn.udpUrl(), coturn.tcpUrl()),
                                coturn.secret())))) {
            BrowserPage second = chromium.open(lab.addClient("N2"), withCoturn.http("/room/" + ROOM + "?name=N2"), CAMERA);
            try (second) {
                second.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);
                LabHost host = lab.addClient("coturn");
                try (BrowserPage page = chromium.open(host, withCoturn.http("/room/" + ROOM + "?name=X5&relay=1"),
                        CAMERA)) {
                    Map<?, ?> path = exchange(withCoturn, second, page);
                    assertEquals("relay", path.get("localType"), "relayed: " + path);
                    assertTrue(String.valueOf(path.get("url")).contains(":" + coturn.port()),
                            "through coturn: " + path);
                }
            }
        }
    }

    /** Opens X on {@code host}, checks it and N exchange audio and video, closes X; returns X's path. */
    private Map<?, ?> exchangesMediaWithTheNormalPage(LabHost host, String query) {
        try (BrowserPage page = chromium.open(host, server.http("/room/" + ROOM + query), CAMERA)) {
            return exchange(server, normal, page);
        }
    }

    /** Waits until {@code page} is connected and both pages decode each other's video and receive audio. */
    private Map<?, ?> exchange(LabServer on, BrowserPage normalPage, BrowserPage page) {
        try {
            page.waitUntilTrue("window.atrium && window.atrium.state === 'connected' && window.atrium.participantId",
                    CONNECT);
            Received atPage = Received.of(page);
            Received atNormal = Received.of(normalPage);
            page.waitUntil("each page decodes the other's video and receives its audio", EXCHANGE, () -> {
                Received nowPage = Received.of(page);
                Received nowNormal = Received.of(normalPage);
                return nowPage.framesDecoded - atPage.framesDecoded >= 20
                        && nowPage.audioPackets - atPage.audioPackets >= 50
                        && nowNormal.framesDecoded - atNormal.framesDecoded >= 20
                        && nowNormal.audioPackets - atNormal.audioPackets >= 50;
            });
            Map<?, ?> path = (Map<?, ?>) page.evalAsync(SELECTED_PATH);
            System.out.println(page.eval("return location.search;") + ": " + describe(path)
                    + "; the SFU's view: " + serverView(on));
            return path;
        } catch (RuntimeException | AssertionError e) {
            System.out.println("page log:\n" + String.join("\n", tail(page.consoleLog(), 40)));
            throw e;
        }
    }

    /** What one page has received so far, over every inbound stream (N's include earlier pages'). */
    private record Received(long framesDecoded, long audioPackets) {
        static Received of(BrowserPage page) {
            WebRtcStats stats = WebRtcStats.read(page, "window.atrium.pc");
            return new Received(stats.framesDecoded(), stats.packetsReceived("audio"));
        }
    }

    private static String transportOf(Map<?, ?> path) {
        if ("relay".equals(path.get("localType"))) {
            String relay = String.valueOf(path.get("relayProtocol"));
            return relay.equals("tls") ? "tcp" : relay;
        }
        return String.valueOf(path.get("protocol"));
    }

    private static String describe(Map<?, ?> path) {
        if (path == null) {
            return "no selected pair";
        }
        String how = "relay".equals(path.get("localType"))
                ? String.format(Locale.ROOT, "TURN over %s (%s)", path.get("relayProtocol"), path.get("url"))
                : String.format(Locale.ROOT, "a %s %s candidate", path.get("protocol"), path.get("localType"));
        return how + " to " + path.get("remote");
    }

    /** Each participant's selected pair as the SFU reports it. */
    private static String serverView(LabServer on) {
        StringBuilder view = new StringBuilder();
        org.atrium.sfu.room.Room room = on.server().sfu().rooms().room(ROOM);
        if (room == null) {
            return "no room";
        }
        for (org.atrium.sfu.room.Participant participant : room.participants()) {
            view.append(participant.displayName()).append(": ").append(participant.transport().selectedCandidatePair())
                    .append("; ");
        }
        return view.toString();
    }

    private static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }
}
