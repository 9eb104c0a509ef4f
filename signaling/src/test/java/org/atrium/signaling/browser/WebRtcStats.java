package org.atrium.signaling.browser;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A snapshot of one RTCPeerConnection's {@code getStats()} report, read through a {@link BrowserPage}. */
public record WebRtcStats(
        List<Inbound> inbound, List<Outbound> outbound, Optional<CandidatePair> selectedPair) {

    /** One {@code inbound-rtp} stream. Counters absent for the kind (frames for audio) are 0. */
    public record Inbound(
            String kind,
            long ssrc,
            long packetsReceived,
            long packetsLost,
            long framesDecoded,
            long bytesReceived,
            long nackCount,
            long freezeCount,
            long retransmittedPacketsReceived) {}

    /** One {@code outbound-rtp} stream. */
    public record Outbound(String kind, long ssrc, long packetsSent, long bytesSent) {}

    /**
     * The candidate pair in use, with both candidates' addresses. The bitrate is in bits per second,
     * 0 when the browser has no estimate yet; the round-trip time is in seconds.
     */
    public record CandidatePair(
            String state,
            String localAddress,
            int localPort,
            String localType,
            String remoteAddress,
            int remotePort,
            String remoteType,
            double availableOutgoingBitrate,
            double currentRoundTripTime) {}

    private static final String SCRIPT =
            """
            const pc = (%s);
            if (!(pc instanceof RTCPeerConnection)) {
                throw new Error('not an RTCPeerConnection: %s');
            }
            const report = await pc.getStats();
            const byId = new Map();
            report.forEach(s => byId.set(s.id, s));
            const n = v => (typeof v === 'number' ? v : 0);
            const out = {inbound: [], outbound: [], pair: null};
            let selectedId = null;
            report.forEach(s => {
                if (s.type === 'inbound-rtp') {
                    out.inbound.push({kind: s.kind, ssrc: n(s.ssrc), packetsReceived: n(s.packetsReceived),
                            packetsLost: n(s.packetsLost), framesDecoded: n(s.framesDecoded),
                            bytesReceived: n(s.bytesReceived), nackCount: n(s.nackCount), freezeCount: n(s.freezeCount),
                            retransmittedPacketsReceived: n(s.retransmittedPacketsReceived)});
                } else if (s.type === 'outbound-rtp') {
                    out.outbound.push({kind: s.kind, ssrc: n(s.ssrc), packetsSent: n(s.packetsSent),
                            bytesSent: n(s.bytesSent)});
                } else if (s.type === 'transport' && s.selectedCandidatePairId) {
                    selectedId = s.selectedCandidatePairId;
                }
            });
            if (selectedId === null) {
                report.forEach(s => {
                    if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') selectedId = s.id;
                });
            }
            const p = selectedId === null ? undefined : byId.get(selectedId);
            if (p) {
                const l = byId.get(p.localCandidateId) || {};
                const r = byId.get(p.remoteCandidateId) || {};
                out.pair = {state: p.state,
                        localAddress: l.address || l.ip || '', localPort: n(l.port), localType: l.candidateType || '',
                        remoteAddress: r.address || r.ip || '', remotePort: n(r.port), remoteType: r.candidateType || '',
                        availableOutgoingBitrate: n(p.availableOutgoingBitrate),
                        currentRoundTripTime: n(p.currentRoundTripTime)};
            }
            return out;
            """;

    /**
     * Per remote participant of the page: inbound video frames decoded and audio packets received,
     * matched to participants through the tracks of their MediaStream (by the inbound-rtp's
     * trackIdentifier, else through the receiver of that track).
     */
    private static final String MEDIA_BY_PARTICIPANT = """
            const pc = window.atrium.pc;
            const stats = await pc.getStats();
            const byTrack = {};
            stats.forEach(s => { if (s.type === 'inbound-rtp' && s.trackIdentifier) byTrack[s.trackIdentifier] = s; });
            const result = {};
            for (const [id, remote] of window.atrium.remote) {
              const entry = {frames: 0, audioPackets: 0};
              for (const track of remote.stream ? remote.stream.getTracks() : []) {
                let s = byTrack[track.id];
                if (!s) {
                  const receiver = pc.getReceivers().find(r => r.track === track);
                  if (receiver) (await receiver.getStats()).forEach(r => { if (r.type === 'inbound-rtp') s = r; });
                }
                if (!s) continue;
                if (track.kind === 'video') entry.frames = s.framesDecoded || 0;
                if (track.kind === 'audio') entry.audioPackets = s.packetsReceived || 0;
              }
              result[id] = entry;
            }
            return result;
            """;

    /**
     * Per remote participant of the room page in {@code page} (its participant id -> {@code
     * frames}, {@code audioPackets}): inbound video frames decoded and audio packets received.
     */
    public static Map<?, ?> mediaByParticipant(Page page) {
        return (Map<?, ?>) page.evalAsync(MEDIA_BY_PARTICIPANT);
    }

    /**
     * Reads the stats of the RTCPeerConnection that {@code pcExpression} (for example {@code
     * window.atrium.pc}) evaluates to in {@code page}.
     */
    public static WebRtcStats read(Page page, String pcExpression) {
        String quoted = pcExpression.replace("\\", "\\\\").replace("'", "\\'");
        Map<?, ?> raw = (Map<?, ?>) page.evalAsync(SCRIPT.formatted(pcExpression, quoted));
        List<Inbound> inbound =
                ((List<?>) raw.get("inbound"))
                        .stream()
                                .map(o -> (Map<?, ?>) o)
                                .map(
                                        m ->
                                                new Inbound(
                                                        (String) m.get("kind"),
                                                        num(m, "ssrc"),
                                                        num(m, "packetsReceived"),
                                                        num(m, "packetsLost"),
                                                        num(m, "framesDecoded"),
                                                        num(m, "bytesReceived"),
                                                        num(m, "nackCount"),
                                                        num(m, "freezeCount"),
                                                        num(m, "retransmittedPacketsReceived")))
                                .toList();
        List<Outbound> outbound =
                ((List<?>) raw.get("outbound"))
                        .stream()
                                .map(o -> (Map<?, ?>) o)
                                .map(
                                        m ->
                                                new Outbound(
                                                        (String) m.get("kind"),
                                                        num(m, "ssrc"),
                                                        num(m, "packetsSent"),
                                                        num(m, "bytesSent")))
                                .toList();
        Optional<CandidatePair> pair =
                Optional.ofNullable((Map<?, ?>) raw.get("pair"))
                        .map(
                                m ->
                                        new CandidatePair(
                                                (String) m.get("state"),
                                                (String) m.get("localAddress"),
                                                (int) num(m, "localPort"),
                                                (String) m.get("localType"),
                                                (String) m.get("remoteAddress"),
                                                (int) num(m, "remotePort"),
                                                (String) m.get("remoteType"),
                                                dbl(m, "availableOutgoingBitrate"),
                                                dbl(m, "currentRoundTripTime")));
        return new WebRtcStats(inbound, outbound, pair);
    }

    /** Inbound streams of one kind ({@code "audio"} or {@code "video"}). */
    public List<Inbound> inbound(String kind) {
        return inbound.stream().filter(s -> kind.equals(s.kind())).toList();
    }

    /** Sum of {@code framesDecoded} over every inbound video stream. */
    public long framesDecoded() {
        return inbound("video").stream().mapToLong(Inbound::framesDecoded).sum();
    }

    /** Sum of {@code packetsReceived} over inbound streams of one kind. */
    public long packetsReceived(String kind) {
        return inbound(kind).stream().mapToLong(Inbound::packetsReceived).sum();
    }

    /** Sum of {@code bytesSent} over every outbound stream. */
    public long bytesSent() {
        return outbound.stream().mapToLong(Outbound::bytesSent).sum();
    }

    private static long num(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v instanceof Number number ? number.longValue() : 0;
    }

    private static double dbl(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v instanceof Number number ? number.doubleValue() : 0;
    }
}
