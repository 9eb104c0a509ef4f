package org.atrium.sfu.stats;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.atrium.sfu.media.MediaKind;

/**
 * The media server's meters, registered once in a Micrometer registry and then only
 * incremented. Each increment is a lock-free add that allocates nothing, so the media
 * path counts every packet; the exporter reads them on scrape.
 *
 * <p>Names are Micrometer's dotted form; the Prometheus registry turns
 * {@code atrium.rtp.packets.received} into {@code atrium_rtp_packets_received_total}.
 * Labels have a handful of values each (kind, reason, outcome), never a room or a
 * participant: those are in the stats API.
 */
public final class SfuMetrics {

    /** What an ICE check of a participant's transport came to. */
    public enum IceOutcome {
        CONNECTED, FAILED, CONSENT_LOST, RESTARTED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Forwarding latency buckets, receive to send: 50 us to 20 ms. */
    static final Duration[] LATENCY_BUCKETS = micros(50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000);
    /** DTLS handshake and join-to-media buckets: 10 ms to 30 s. */
    static final Duration[] SETUP_BUCKETS = micros(10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
            2_500_000, 5_000_000, 10_000_000, 30_000_000);

    private final MeterRegistry registry;
    private final Counter[] drops;
    private final Counter[] rtpReceived;
    private final Counter[] rtpBytesReceived;
    private final Counter[] rtpSent;
    private final Counter[] rtpBytesSent;
    private final Counter[] forwarded;
    private final Counter rtcpReceived;
    private final Counter rtcpBytesReceived;
    private final Counter rtcpSent;
    private final Counter rtcpBytesSent;
    private final Counter nacksReceived;
    private final Counter nacksSent;
    private final Counter retransmissions;
    private final Counter retransmissionMisses;
    private final Counter pliReceived;
    private final Counter firReceived;
    private final Counter keyframeRequestsSent;
    private final Counter[] iceOutcomes;
    private final Counter dtlsConnected;
    private final Counter dtlsFailed;
    private final Timer dtlsHandshake;
    private final Timer joinToFirstMedia;
    private final Timer forwardingLatency;
    private final Counter layerSwitches;
    private final Counter probesSent;
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> videoPauses =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final io.micrometer.core.instrument.DistributionSummary receiverEstimates;

    private final DataMetrics data;
    private final RelayMetrics relay;

    public SfuMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.data = new DataMetrics(registry);
        this.relay = new RelayMetrics(registry);
        drops = new Counter[DropReason.values().length];
        for (DropReason reason : DropReason.values()) {
            drops[reason.ordinal()] = Counter.builder("atrium.dropped.packets")
                    .description("Datagrams and packets dropped, by reason")
                    .tag("reason", reason.label()).register(registry);
        }
        rtpReceived = perKind("atrium.rtp.packets.received", "RTP packets received from publishers, authenticated",
                null);
        rtpBytesReceived = perKind("atrium.rtp.received", "RTP bytes received from publishers, after decryption",
                "bytes");
        rtpSent = perKind("atrium.rtp.packets.sent", "RTP packets sent to receivers, retransmissions included", null);
        rtpBytesSent = perKind("atrium.rtp.sent", "RTP bytes sent to receivers, before encryption", "bytes");
        forwarded = perKind("atrium.forwarded.packets",
                "Publishers' RTP packets forwarded to receivers, one per receiver", null);
        rtcpReceived = Counter.builder("atrium.rtcp.packets.received")
                .description("RTCP compound packets received, authenticated").register(registry);
        rtcpBytesReceived = Counter.builder("atrium.rtcp.received").baseUnit("bytes")
                .description("RTCP bytes received, after decryption").register(registry);
        rtcpSent = Counter.builder("atrium.rtcp.packets.sent").description("RTCP compound packets sent")
                .register(registry);
        rtcpBytesSent = Counter.builder("atrium.rtcp.sent").baseUnit("bytes")
                .description("RTCP bytes sent, before encryption").register(registry);
        nacksReceived = Counter.builder("atrium.nack.received")
                .description("Sequence numbers receivers asked to be retransmitted (RFC 4585 generic NACK)")
                .register(registry);
        nacksSent = Counter.builder("atrium.nack.sent")
                .description("Sequence numbers the SFU asked publishers to retransmit").register(registry);
        retransmissions = Counter.builder("atrium.retransmissions")
                .description("Packets retransmitted to receivers from the packet cache").register(registry);
        retransmissionMisses = Counter.builder("atrium.retransmission.misses")
                .description("NACKed packets no longer (or never) in the packet cache").register(registry);
        pliReceived = keyframeRequests("atrium.keyframe.requests.received", "pli",
                "Keyframe requests received from receivers");
        firReceived = keyframeRequests("atrium.keyframe.requests.received", "fir",
                "Keyframe requests received from receivers");
        keyframeRequestsSent = keyframeRequests("atrium.keyframe.requests.sent", "pli",
                "Keyframe requests sent to publishers");
        iceOutcomes = new Counter[IceOutcome.values().length];
        for (IceOutcome outcome : IceOutcome.values()) {
            iceOutcomes[outcome.ordinal()] = Counter.builder("atrium.ice.outcomes")
                    .description("Participants' ICE: connected, failed (or timed out), consent lost, restarted")
                    .tag("outcome", outcome.label()).register(registry);
        }
        dtlsConnected = Counter.builder("atrium.dtls.handshakes").description("DTLS handshakes, by outcome")
                .tag("outcome", "connected").register(registry);
        dtlsFailed = Counter.builder("atrium.dtls.handshakes").description("DTLS handshakes, by outcome")
                .tag("outcome", "failed").register(registry);
        dtlsHandshake = Timer.builder("atrium.dtls.handshake.duration")
                .description("From ICE connected to SRTP keys in place")
                .serviceLevelObjectives(SETUP_BUCKETS).register(registry);
        joinToFirstMedia = Timer.builder("atrium.join.to.first.media")
                .description("From a participant's join to the first media forwarded to it")
                .serviceLevelObjectives(SETUP_BUCKETS).register(registry);
        forwardingLatency = Timer.builder("atrium.forwarding.latency")
                .description("Per forwarded packet: from receipt of the publisher's datagram to the send to a receiver")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        layerSwitches = Counter.builder("atrium.layer.switches")
                .description("Times a receiver's stream moved to another simulcast encoding (its first start included)")
                .register(registry);
        probesSent = Counter.builder("atrium.bandwidth.probes")
                .description("Probe clusters sent to find out whether a receiver's link carries more").register(registry);
        // Prometheus names rates in bytes: the estimate is recorded in bytes per second.
        receiverEstimates = io.micrometer.core.instrument.DistributionSummary.builder("atrium.receiver.estimate")
                .baseUnit("bytes_per_second")
                .description("Each receiver's downlink estimate, sampled at every bandwidth allocation")
                .register(registry);
        for (String reason : java.util.List.of("bandwidth", "not-visible", "receiver", "unavailable")) {
            videoPause(reason);
        }
    }

    private Counter videoPause(String reason) {
        return videoPauses.computeIfAbsent(reason, r -> Counter.builder("atrium.video.pauses")
                .description("Videos paused for a receiver, by reason").tag("reason", r).register(registry));
    }

    /** A receiver's stream switched to another encoding. */
    public void layerSwitched() {
        layerSwitches.increment();
    }

    /** The meters of data channels. */
    public RelayMetrics relay() {
        return relay;
    }

    public DataMetrics data() {
        return data;
    }

    public void probeSent() {
        probesSent.increment();
    }

    /** A video was paused for a receiver, for the reason named (bandwidth, not-visible, ...). */
    public void videoPaused(String reason) {
        videoPause(reason).increment();
    }

    public void receiverEstimate(long bitsPerSecond) {
        receiverEstimates.record(bitsPerSecond / 8.0);
    }

    public long layerSwitches() {
        return (long) layerSwitches.count();
    }

    public long probes() {
        return (long) probesSent.count();
    }

    public long videoPauses(String reason) {
        return (long) videoPause(reason).count();
    }

    private Counter[] perKind(String name, String description, String baseUnit) {
        Counter[] counters = new Counter[MediaKind.values().length];
        for (MediaKind kind : MediaKind.values()) {
            counters[kind.ordinal()] = Counter.builder(name).description(description).baseUnit(baseUnit)
                    .tag("kind", kind.sdpName()).register(registry);
        }
        return counters;
    }

    private Counter keyframeRequests(String name, String type, String description) {
        return Counter.builder(name).description(description).tag("type", type).register(registry);
    }

    private static Duration[] micros(long... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(values[i] * 1000);
        }
        return durations;
    }

    /** The registry these meters live in; the server's other meters join them there. */
    public MeterRegistry registry() {
        return registry;
    }

    public void drop(DropReason reason) {
        drops[reason.ordinal()].increment();
    }

    public void rtpReceived(MediaKind kind, int bytes) {
        rtpReceived[kind.ordinal()].increment();
        rtpBytesReceived[kind.ordinal()].increment(bytes);
    }

    public void rtcpReceived(int bytes) {
        rtcpReceived.increment();
        rtcpBytesReceived.increment(bytes);
    }

    /** A publisher's packet sent to one receiver, {@code receivedNanos} after it arrived. */
    public void forwarded(MediaKind kind, int bytes, long latencyNanos) {
        forwarded[kind.ordinal()].increment();
        rtpSent(kind, bytes);
        forwardingLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    /** A packet retransmitted to a receiver. */
    public void retransmitted(MediaKind kind, int bytes) {
        retransmissions.increment();
        rtpSent(kind, bytes);
    }

    /** A padding-only packet of a bandwidth probe: an RTP packet sent, forwarding nothing. */
    public void paddingSent(MediaKind kind, int bytes) {
        rtpSent(kind, bytes);
    }

    private void rtpSent(MediaKind kind, int bytes) {
        rtpSent[kind.ordinal()].increment();
        rtpBytesSent[kind.ordinal()].increment(bytes);
    }

    public void retransmissionMissed() {
        retransmissionMisses.increment();
    }

    public void rtcpSent(int bytes) {
        rtcpSent.increment();
        rtcpBytesSent.increment(bytes);
    }

    public void nacksReceived(int sequenceNumbers) {
        nacksReceived.increment(sequenceNumbers);
    }

    public void nacksSent(int sequenceNumbers) {
        nacksSent.increment(sequenceNumbers);
    }

    public void pliReceived() {
        pliReceived.increment();
    }

    public void firReceived() {
        firReceived.increment();
    }

    public void keyframeRequestSent() {
        keyframeRequestsSent.increment();
    }

    public void ice(IceOutcome outcome) {
        iceOutcomes[outcome.ordinal()].increment();
    }

    public void dtlsConnected(long handshakeNanos) {
        dtlsConnected.increment();
        dtlsHandshake.record(handshakeNanos, TimeUnit.NANOSECONDS);
    }

    public void dtlsFailed() {
        dtlsFailed.increment();
    }

    public void firstMediaSent(long sinceJoinNanos) {
        joinToFirstMedia.record(sinceJoinNanos, TimeUnit.NANOSECONDS);
    }

    // Readings, for tests and the stats API.

    public long drops(DropReason reason) {
        return (long) drops[reason.ordinal()].count();
    }

    public long rtpPacketsReceived() {
        return sum(rtpReceived);
    }

    public long rtpPacketsReceived(MediaKind kind) {
        return (long) rtpReceived[kind.ordinal()].count();
    }

    public long rtpPacketsSent() {
        return sum(rtpSent);
    }

    public long forwardedPackets(MediaKind kind) {
        return (long) forwarded[kind.ordinal()].count();
    }

    public long rtcpPacketsReceived() {
        return (long) rtcpReceived.count();
    }

    public long rtcpPacketsSent() {
        return (long) rtcpSent.count();
    }

    public long keyframeRequestsSent() {
        return (long) keyframeRequestsSent.count();
    }

    public long retransmissions() {
        return (long) retransmissions.count();
    }

    public long forwardingLatencyCount() {
        return forwardingLatency.count();
    }

    private static long sum(Counter[] counters) {
        double sum = 0;
        for (Counter counter : counters) {
            sum += counter.count();
        }
        return (long) sum;
    }
}
