package org.atrium.signaling.browser;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lab's pieces for reachability tests, with coturn and real browsers: a Chromium behind a
 * firewall that leaves it only TLS to coturn gets a relay candidate through {@code turns:} (so it
 * accepted {@link TestCertificates}' chain through {@link LabChromium#trustCa}), one without UDP
 * gets one through TURN over TCP, and one behind a symmetric NAT (driven through its router) gets
 * one over UDP, but none through {@code turns:} since it was not told to trust the test CA. Each also shows the way it must not get through fails. No Atrium media: the pages
 * only gather candidates ({@code iceTransportPolicy: 'relay'}).
 */
@Tag("browser")
class TurnLabTest {

    private static final Duration GATHERING = Duration.ofSeconds(10);

    @Test
    void browsersGatherRelayCandidatesThroughCoturnOverTlsTcpAndBehindNat() throws Exception {
        Path certDir = Files.createTempDirectory("atrium-test-certs-");
        long coturnPid;
        try (NetworkLab lab = NetworkLab.create();
                LabServer server = LabServer.start(lab);
                Coturn coturn = Coturn.start(lab,
                        TestCertificates.create(certDir, NetworkLab.SERVER_ADDRESS));
                LabChromium chromium = LabChromium.launch(lab, server.origin());
                LabChromium untrusting = LabChromium.launch(lab, server.origin())) {
            coturnPid = coturn.pid();
            chromium.trustCa(certDir.resolve("ca.pem"));
            int httpPort = server.origin().getPort();
            try {
                LabHost tlsOnly = lab.addClient("tls-only");
                lab.allowOnlyTcpTo(tlsOnly, Set.of(coturn.tlsPort(), httpPort));
                try (BrowserPage page = chromium.open(tlsOnly, server.http("/"), LabChromium.Camera.none())) {
                    Gathered tls = gather(page, coturn, coturn.tlsUrl());
                    System.out.println("TLS-only host, turns: " + tls);
                    assertTrue(tls.relay(), "a relay candidate through turns: " + tls);
                    Gathered tcp = gather(page, coturn, coturn.tcpUrl());
                    System.out.println("TLS-only host, turn over TCP (port not allowed): " + tcp);
                    assertFalse(tcp.relay(), "the firewall allows only the TLS port: " + tcp);
                }

                LabHost noUdp = lab.addClient("no-udp");
                lab.blockUdp(noUdp);
                try (BrowserPage page = chromium.open(noUdp, server.http("/"), LabChromium.Camera.none())) {
                    Gathered tcp = gather(page, coturn, coturn.tcpUrl());
                    System.out.println("UDP-blocked host, turn over TCP: " + tcp);
                    assertTrue(tcp.relay(), "a relay candidate through TURN over TCP: " + tcp);
                    Gathered udp = gather(page, coturn, coturn.udpUrl());
                    System.out.println("UDP-blocked host, turn over UDP: " + udp);
                    assertFalse(udp.relay(), "no UDP: " + udp);
                }

                // A browser that was not told to trust the test CA, behind a NAT (no firewall).
                LabHost natted = lab.addClientBehindNat("natted");
                try (BrowserPage page = untrusting.open(natted, server.http("/"), LabChromium.Camera.none())) {
                    Gathered udp = gather(page, coturn, coturn.udpUrl());
                    System.out.println("NATed host, turn over UDP: " + udp);
                    assertTrue(udp.relay(), "a relay candidate from behind the NAT: " + udp);
                    Gathered tls = gather(page, coturn, coturn.tlsUrl());
                    System.out.println("NATed host, turns without trusting the CA: " + tls);
                    assertFalse(tls.relay(), "no TLS without the CA: " + tls);
                }
            } catch (AssertionError | RuntimeException e) {
                System.out.println("coturn log:\n" + coturn.logText());
                throw e;
            }
        } finally {
            Chromium.deleteRecursively(certDir);
        }
        assertFalse(ProcessHandle.of(coturnPid).map(ProcessHandle::isAlive).orElse(false), "coturn stopped");
        assertTrue(Chromium.inLoopbackOnlyNamespace(), "the lab's links and routes are gone");
    }

    /** Candidates and candidate errors of one gathering with a single TURN server. */
    record Gathered(List<String> candidates, List<String> errors, boolean complete) {
        boolean relay() {
            return candidates.stream().anyMatch(c -> c.contains(" typ relay "));
        }
    }

    @SuppressWarnings("unchecked")
    private static Gathered gather(BrowserPage page, Coturn coturn, String url) {
        Coturn.Credentials credentials = coturn.credentials("lab-" + page.hashCode(), Duration.ofHours(1));
        Map<String, Object> result = (Map<String, Object>) page.evalAsync("""
                const [url, username, credential, timeoutMs] = args;
                const pc = new RTCPeerConnection({iceServers: [{urls: url, username, credential}],
                                                  iceTransportPolicy: 'relay'});
                const candidates = [], errors = [];
                pc.onicecandidateerror = e => errors.push(e.errorCode + ' ' + e.errorText + ' ' + e.url);
                const complete = await new Promise(resolve => {
                  pc.onicecandidate = e => { if (e.candidate) candidates.push(e.candidate.candidate); else resolve(true); };
                  setTimeout(() => resolve(false), timeoutMs);
                  pc.createDataChannel('probe');
                  pc.createOffer().then(offer => pc.setLocalDescription(offer));
                });
                pc.close();
                return {candidates, errors, complete};
                """, url, credentials.username(), credentials.password(), GATHERING.toMillis());
        return new Gathered((List<String>) result.get("candidates"), (List<String>) result.get("errors"),
                Boolean.TRUE.equals(result.get("complete")));
    }
}
