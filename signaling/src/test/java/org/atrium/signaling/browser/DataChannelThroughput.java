package org.atrium.signaling.browser;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test (tag "benchmark", never in the default or browser runs): one
 * Chromium page sends 64 KiB messages on a reliable ordered channel to another for 10 s,
 * through the SFU, then the same between two pages connected peer to peer, in the same
 * Chromium and the same run; it prints the MB/s received each way and their ratio. Run as
 * benchmarks/README.md says:
 *
 * <pre>
 * SE_AVOID_STATS=true SE_OFFLINE=true unshare -n sh -c 'ip link set lo up &amp;&amp; \
 *   mvn -o -B -Pbrowser-benchmark -pl signaling test -Dtest=DataChannelThroughput'
 * </pre>
 */
@Tag("benchmark")
class DataChannelThroughput extends ServerAndBrowsers {

    private static final Duration CONNECT = Duration.ofSeconds(20);
    private static final int SECONDS = 10;

    /**
     * {@code window.tput}: a receiver that counts bytes from its first message on, and a
     * sender that keeps at most 4 MiB buffered. The all-zero message is also a valid Atrium
     * envelope (flags 0, no targets: for the whole room).
     */
    private static final String HARNESS = """
            window.tput = {
              bytes: 0, messages: 0, first: 0, last: 0,
              receive(ch) {
                ch.binaryType = 'arraybuffer';
                ch.onmessage = e => {
                  const now = performance.now();
                  if (tput.messages === 0) tput.first = now; else tput.bytes += e.data.byteLength;
                  tput.messages++; tput.last = now;
                };
              },
              async send(ch, seconds) {
                const message = new Uint8Array(64 * 1024);
                ch.bufferedAmountLowThreshold = 1024 * 1024;
                const end = performance.now() + seconds * 1000;
                let sent = 0;
                while (performance.now() < end) {
                  if (ch.bufferedAmount > 4 * 1024 * 1024) {
                    await new Promise(r => ch.addEventListener('bufferedamountlow', r, {once: true}));
                    continue;
                  }
                  ch.send(message); sent++;
                }
                return sent;
              },
              result() { return {bytes: tput.bytes, messages: tput.messages, ms: tput.last - tput.first}; }
            };
            """;

    @Test
    void throughSfuAndPeerToPeer() throws Exception {
        // Through the SFU.
        BrowserPage ada = join("tput", "Ada");
        BrowserPage bo = join("tput", "Bo");
        for (BrowserPage page : java.util.List.of(ada, bo)) {
            // No camera or microphone while measuring: the two cores go to the data path.
            page.eval(HARNESS + "window.atrium.pc.getSenders().forEach(s => s.track && s.track.stop());"
                    + " window.ch = window.atrium.pc.createDataChannel('tput'); tput.receive(ch);");
        }
        for (BrowserPage page : java.util.List.of(ada, bo)) {
            page.waitUntilTrue("window.ch.readyState === 'open'", CONNECT);
        }
        long sentViaSfu = ((Number) ada.evalAsync("return await tput.send(window.ch, arguments[0]);", SECONDS))
                .longValue();
        Thread.sleep(2000);
        Map<?, ?> viaSfu = (Map<?, ?>) bo.eval("return tput.result();");
        for (org.atrium.sfu.room.Participant p : server.server().sfu().rooms().room("tput").participants()) {
            System.out.println("SCTP of " + p.displayName() + ": " + p.data().stats());
        }
        ada.navigate("about:blank");
        bo.navigate("about:blank");

        // Peer to peer: two more pages of the same Chromium, the SDP carried by the test.
        BrowserPage left = chromium.open(server.http("/").toString());
        BrowserPage right = chromium.open(server.http("/").toString());
        left.eval(HARNESS + "window.pc = new RTCPeerConnection(); window.ch = pc.createDataChannel('tput');"
                + " pc.onicecandidate = e => { if (e.candidate) (window.cands = window.cands || []).push(e.candidate.toJSON()); };");
        right.eval(HARNESS + "window.pc = new RTCPeerConnection(); pc.ondatachannel = e => { window.ch = e.channel;"
                + " tput.receive(e.channel); };"
                + " pc.onicecandidate = e => { if (e.candidate) (window.cands = window.cands || []).push(e.candidate.toJSON()); };");
        Object offer = left.evalAsync("const o = await pc.createOffer(); await pc.setLocalDescription(o); return o.sdp;");
        Object answer = right.evalAsync("await pc.setRemoteDescription({type: 'offer', sdp: arguments[0]});"
                + " const a = await pc.createAnswer(); await pc.setLocalDescription(a); return a.sdp;", offer);
        left.evalAsync("await pc.setRemoteDescription({type: 'answer', sdp: arguments[0]});", answer);
        Thread.sleep(500);
        left.evalAsync("for (const c of arguments[0] || []) await pc.addIceCandidate(c);",
                right.eval("return window.cands || [];"));
        right.evalAsync("for (const c of arguments[0] || []) await pc.addIceCandidate(c);",
                left.eval("return window.cands || [];"));
        left.waitUntilTrue("window.ch.readyState === 'open'", CONNECT);
        long sentDirect = ((Number) left.evalAsync("return await tput.send(window.ch, arguments[0]);", SECONDS))
                .longValue();
        Thread.sleep(2000);
        Map<?, ?> direct = (Map<?, ?>) right.eval("return tput.result();");

        double sfuMBps = megabytesPerSecond(viaSfu);
        double directMBps = megabytesPerSecond(direct);
        System.out.printf(Locale.ROOT, "64 KiB messages for %d s, reliable ordered:%n"
                        + "  through the SFU: %.1f MB/s (%d sent, %s received)%n"
                        + "  peer to peer:    %.1f MB/s (%d sent, %s received)%n"
                        + "  ratio: %.2f%n",
                SECONDS, sfuMBps, sentViaSfu, viaSfu.get("messages"), directMBps, sentDirect, direct.get("messages"),
                sfuMBps / directMBps);
    }

    private static double megabytesPerSecond(Map<?, ?> result) {
        double ms = ((Number) result.get("ms")).doubleValue();
        return ms <= 0 ? 0 : ((Number) result.get("bytes")).doubleValue() / 1e6 / (ms / 1000);
    }

    private BrowserPage join(String room, String name) {
        BrowserPage page = chromium.open(server.http("/room/" + room + "?name=" + name).toString());
        page.waitUntilTrue("window.atrium && window.atrium.state === 'connected'", CONNECT);
        return page;
    }
}
