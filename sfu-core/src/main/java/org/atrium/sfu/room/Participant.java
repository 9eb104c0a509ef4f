package org.atrium.sfu.room;

import java.util.List;
import java.util.Map;
import org.atrium.sfu.cc.BandwidthEstimatorConfig;
import org.atrium.sfu.cc.CongestionFeedback;
import org.atrium.sfu.cc.DownlinkCongestionControl;
import org.atrium.sfu.data.DataChannels;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.ForwardingLane;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.PacketSink;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.stats.SfuMetrics;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.sfu.transport.WebRtcTransport;
import org.atrium.sfu.util.ArraySnapshots;
import org.atrium.sfu.util.LogContext;

/**
 * A member of a room: one media transport, the tracks it publishes (producers, in
 * {@link PublishedTracks}) and the streams it receives (consumers). What its transport
 * delivers goes through {@link TransportEvents}; what the SFU sends it, through
 * {@link ParticipantSink}.
 *
 * <p>Consumers are a small array replaced on change and scanned on each RTCP packet: a
 * participant receives a handful of streams, and a scan beats hashing boxed SSRCs.
 */
public final class Participant implements Member {

    private final String id;
    private final Admission admission;
    private final Room room;
    private final ParticipantListener listener;
    private final SfuMetrics metrics;
    private final long feedbackSsrc;
    private final WebRtcTransport transport;
    /** Where the SFU's packets to this participant go. */
    private final ParticipantSink sink;
    /** What it publishes, and the routing of the RTP it sends. */
    private final PublishedTracks tracks;
    /** Congestion feedback to this participant as publisher. */
    private final UplinkFeedback uplink;
    /** The RTCP this participant sends, on the receive thread. */
    private final RtcpReceiver rtcp;
    /** The RTCP the SFU sends it of its own accord. */
    private final RtcpSender rtcpOut;

    private final long joinedMillis = System.currentTimeMillis();

    private volatile Consumer[] consumers = new Consumer[0];
    private volatile boolean closed;
    /** Where the streams this participant receives are sent from, or null: inline. */
    private final ForwardingLane lane;
    /** Congestion control of what the SFU sends this participant, and what it gets of each video. */
    private final DownlinkCongestionControl downlink;
    private final DownlinkAllocation allocation;
    private final ParticipantDataChannels data;
    /** What each publish m-section carries (mid -> source), as this participant's signaling declared it. */
    private final Map<String, TrackSource> sources = new java.util.concurrent.ConcurrentHashMap<>();
    /** The sources this participant has muted; guarded by the room's lock for changes. */
    private final java.util.Set<TrackSource> muted = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Participant(String id, Admission admission, Room room, ParticipantListener listener,
            TransportFactory transportFactory, SfuMetrics metrics, long feedbackSsrc, int transportCcExtensionId,
            ForwardingLane lane, java.util.concurrent.ScheduledExecutorService timers) throws java.io.IOException {
        long joinedNanos = System.nanoTime();
        this.id = id;
        this.lane = lane;
        this.uplink = new UplinkFeedback(transportCcExtensionId, feedbackSsrc);
        this.admission = admission;
        this.room = room;
        this.listener = listener;
        this.metrics = metrics;
        this.feedbackSsrc = feedbackSsrc;
        LogContext logContext = new LogContext(room.name(), id);
        this.tracks = new PublishedTracks(logContext, new RidBinder(room.capabilities()), metrics);
        this.downlink = new DownlinkCongestionControl(transportCcExtensionId, BandwidthEstimatorConfig.defaults());
        downlink.setTransportCc(true);
        this.allocation = new DownlinkAllocation(downlink, new BandwidthProber(downlink, timers, lane, metrics), metrics);
        this.rtcp = new RtcpReceiver(this, downlink, metrics);
        this.data = new ParticipantDataChannels(this, timers, metrics.data());
        this.transport = transportFactory.create(logContext, new TransportEvents(this, uplink, tracks, rtcp, data));
        this.sink = new ParticipantSink(transport, downlink, metrics, joinedNanos, timers);
        this.rtcpOut = new RtcpSender(transport, sink, uplink, lane, feedbackSsrc);
    }

    /** Makes the transport; a seam so that the room does not know ports and certificates. */
    public interface TransportFactory {
        WebRtcTransport create(LogContext context, WebRtcTransport.Listener listener) throws java.io.IOException;
    }

    @Override
    public String id() {
        return id;
    }

    ForwardingLane lane() {
        return lane;
    }

    @Override
    public String displayName() {
        return admission.displayName();
    }

    @Override
    public String identity() {
        return admission.identity();
    }

    @Override
    public boolean isListed() {
        return admission.listed();
    }

    /** Its identity and grants, as it was admitted. */
    public Admission admission() {
        return admission;
    }

    public Room room() {
        return room;
    }

    /** When it joined, in milliseconds since the epoch. */
    public long joinedMillis() {
        return joinedMillis;
    }

    /** Takes a bitrate sample of each of its streams; called by the server's timer about once a second. */
    void sampleBitrates(long nowNanos) {
        for (Producer producer : tracks.array()) {
            producer.sampleBitrate(nowNanos);
        }
        for (Consumer consumer : consumers) {
            consumer.sampleBitrate(nowNanos);
        }
    }

    public WebRtcTransport transport() {
        return transport;
    }

    /** Sender SSRC of the RTCP the SFU sends to this participant. */
    public long feedbackSsrc() {
        return feedbackSsrc;
    }

    public boolean isClosed() {
        return closed;
    }

    ParticipantListener listener() {
        return listener;
    }

    PacketSink sink() {
        return sink;
    }

    /** A data message of this participant's was refused: told once per channel label and reason. */
    void dataRefused(String label, String reason) {
        data.refused(label, reason);
    }

    /** The participant's data channels, or null before its transport is up. */
    public DataChannels data() {
        return data.channels();
    }

    /** The SCTP port of the participant's data channels, from its answer's a=sctp-port (5000 by default). */
    public void setRemoteSctpPort(int port) {
        data.setRemoteSctpPort(port);
    }

    /** Applies the remote ICE/DTLS parameters from the participant's answer. */
    public void startTransport(WebRtcTransport.RemoteParameters remote) {
        transport.start(remote);
    }

    /** How this participant learns what it may send; from its answer (transport-cc or not). */
    public void setCongestionFeedback(CongestionFeedback feedback) {
        uplink.setMode(feedback);
        downlink.setTransportCc(feedback == CongestionFeedback.TRANSPORT_CC);
    }

    /**
     * Sets what this participant gets of each video it receives from its downlink estimate,
     * when due; called by the server's timer.
     */
    void allocateDownlink(long nowNanos, String activeSpeaker) {
        if (closed) {
            return;
        }
        if (allocation.run(nowNanos, consumers, activeSpeaker, listener)) {
            long estimate = downlink.estimateBps();
            metrics.receiverEstimate(estimate);
            sink.setEstimate(estimate);
        }
    }

    /**
     * The last allocation of what this participant receives, or null while it is not
     * adapted (it has sent no congestion feedback yet).
     */
    org.atrium.sfu.allocation.Allocation downlinkAllocation() {
        return downlink.hasFeedback() ? allocation.last() : null;
    }

    /**
     * How large this participant shows the video of a consumer, in device pixels; 0x0 when
     * it does not show it. No larger layer is sent; an invisible video is paused.
     */
    public void setRenderSize(Consumer consumer, int width, int height) {
        allocation.setRenderSize(consumer, width, height);
    }

    /** The downlink estimate in bits/s, or -1 before the participant sent congestion feedback. */
    public long downlinkEstimateBps() {
        return downlink.hasFeedback() ? downlink.estimateBps() : -1;
    }

    /** Why a video this participant receives is paused, or null when it is not. */
    public String pauseReason(Consumer consumer) {
        org.atrium.sfu.allocation.PauseReason reason = allocation.pauseReason(consumer);
        return reason == null ? null : reason.wireName();
    }

    /** Probe clusters sent to this participant. */
    public long probesSent() {
        return allocation.probesSent();
    }

    public CongestionFeedback congestionFeedback() {
        return uplink.mode();
    }

    public void addRemoteCandidate(IceCandidate candidate) {
        transport.addRemoteCandidate(candidate);
    }

    /**
     * Declares (or confirms) the track this participant sends in an m-section. With
     * {@link Producer#UNKNOWN_SSRC} the track is announced before its SSRC is known, so
     * that the other participants can negotiate receiving it while this one is still
     * negotiating sending it; a later call with the SSRC binds it. The same SSRC again
     * changes nothing; another SSRC replaces the producer.
     *
     * @return the producer now bound to that mid
     */
    public Producer publish(String mid, MediaKind kind, long ssrc, long rtxSsrc) {
        return room.publish(this, mid, kind, ssrc, rtxSsrc, List.of());
    }

    /**
     * Declares (or confirms) a video track sent as simulcast encodings (RFC 8853), named by
     * their RIDs from the lowest resolution up. Their SSRCs are learnt from the RID header
     * extension of their first packets. Other RIDs than the current producer's replace it.
     */
    public Producer publishSimulcast(String mid, MediaKind kind, List<String> rids) {
        if (rids.isEmpty()) {
            throw new IllegalArgumentException("simulcast needs at least one RID");
        }
        return room.publish(this, mid, kind, Producer.UNKNOWN_SSRC, Producer.UNKNOWN_SSRC, List.copyOf(rids));
    }

    /**
     * Announces several tracks before their SSRCs are known, in one step of the room: the
     * others learn of all of them at once, so that their next offer holds them all rather
     * than one now and the rest in another round.
     *
     * @param tracks mid -> kind, in m-section order
     */
    public void announce(java.util.LinkedHashMap<String, MediaKind> tracks) {
        room.announce(this, tracks, List.of());
    }

    /**
     * As {@link #announce(java.util.LinkedHashMap)}, with the video tracks expected as
     * simulcast encodings of these RIDs (what the SFU's offer asks for).
     */
    public void announce(java.util.LinkedHashMap<String, MediaKind> tracks, List<String> videoRids) {
        room.announce(this, tracks, List.copyOf(videoRids));
    }

    /**
     * Declares what the track of a publish m-section carries; the others read it with
     * {@link #sourceOf(String)} when they are offered that track.
     */
    public void describeTrack(String mid, TrackSource source) {
        sources.put(mid, source);
    }

    /** What the track published in {@code mid} carries, or null when it was never described. */
    @Override
    public TrackSource sourceOf(String mid) {
        return sources.get(mid);
    }

    /** Whether this participant has muted that source. */
    @Override
    public boolean isMuted(TrackSource source) {
        return muted.contains(source);
    }

    /** The sources this participant has muted. */
    @Override
    public java.util.Set<TrackSource> mutedSources() {
        return java.util.Set.copyOf(muted);
    }

    /**
     * Mutes or unmutes a source; the others hear of a change through
     * {@link ParticipantListener#onTrackMuted}. The media path is not touched: a muted
     * client sends nothing or silence by itself, and forwarding what it still sends keeps
     * the picture ready for the unmute.
     */
    public void setMuted(TrackSource source, boolean mute) {
        room.setMuted(this, source, mute);
    }

    boolean updateMuted(TrackSource source, boolean mute) {
        return mute ? muted.add(source) : muted.remove(source);
    }

    /** Stops the track of an m-section, if any (the answer made it inactive). */
    public void unpublish(String mid) {
        room.unpublish(this, mid);
    }

    @Override
    public List<Producer> producers() {
        return List.of(tracks.array());
    }

    public List<Consumer> consumers() {
        return List.of(consumers);
    }

    /** Leaves the room. Idempotent. */
    public void leave() {
        room.leave(this, LeaveReason.LEFT);
    }

    // ---- Streams received on request (a WHEP player), outside automatic subscription.

    /** Those streams and the SSRCs reserved for them; guarded by the room's lock. */
    private final ExplicitForwarding forwarding = new ExplicitForwarding(this);

    /** Reserves a fresh SSRC on this receiver's transport (not used by any of its consumers or reservations). */
    public long reserveSsrc() {
        return room.reserveSsrc(this);
    }

    /**
     * Forwards a producer of the room to this participant on the given SSRCs (rtxSsrc -1 for
     * none), outside automatic subscription. With {@code continuing} (a consumer this method
     * made for this participant, on the same SSRCs, of the same kind, live or closed by its
     * producer's end), the new consumer takes over its numbering from a keyframe and
     * {@code continuing} is closed without an RTCP BYE: the receiver sees one stream. A
     * {@code continuing} still open on the same producer is returned as it is.
     *
     * @return the new consumer, already resumed (it has asked the producer for a keyframe); its
     *     RTX setting is {@code continuing}'s, else off until {@link Consumer#setRtxEnabled}
     * @throws RoomException when the producer is closed or not in the room ({@code no-such-producer}),
     *     kinds differ ({@code kind-mismatch}), the SSRCs are taken or not {@code continuing}'s
     *     ({@code ssrc-in-use}), {@code continuing} is not such a consumer ({@code not-forwarded}),
     *     this participant gets the producer already ({@code already-forwarded}) or left
     */
    public Consumer forward(Producer producer, long ssrc, long rtxSsrc, Consumer continuing) {
        return room.forward(this, producer, ssrc, rtxSsrc, continuing);
    }

    /**
     * Stops a consumer made by {@link #forward}: without a BYE when {@code keepSsrc} (another
     * producer will continue it), else with one, as a closed stream gets. Nothing happens for a
     * consumer that no longer holds its SSRC (continued, or stopped without keeping it).
     */
    public void stopForwarding(Consumer consumer, boolean keepSsrc) {
        room.stopForwarding(this, consumer, keepSsrc);
    }

    ExplicitForwarding forwarding() {
        return forwarding;
    }

    /** A consumer continues another's stream: what the allocation knew of that one applies to it. */
    void handOverAllocation(Consumer from, Consumer to) {
        allocation.handOver(from, to);
    }

    // ---- End of streams received on request.

    /** The published tracks, for the media path: the live array, not to be changed. */
    Producer[] producerArray() {
        return tracks.array();
    }

    /** The received streams, for the media path: the live array, not to be changed. */
    Consumer[] consumerArray() {
        return consumers;
    }

    Producer producerForMid(String mid) {
        return tracks.forMid(mid);
    }

    void addProducer(Producer producer) {
        tracks.add(producer);
    }

    void removeProducer(Producer producer) {
        tracks.remove(producer);
    }

    synchronized void addConsumer(Consumer consumer) {
        consumers = ArraySnapshots.with(consumers, consumer);
    }

    synchronized void removeConsumer(Consumer consumer) {
        consumers = ArraySnapshots.without(consumers, consumer);
    }

    /** Ends a stream it received with an RTCP BYE: see {@link RtcpSender#sendBye}. */
    void sendBye(Consumer consumer) {
        rtcpOut.sendBye(consumer);
    }

    /** Frees the SRTP state of a closed producer's SSRCs: see {@link PublishedTracks#forgetReceivedSsrcs}. */
    void forgetReceivedSsrcs(Producer closed) {
        tracks.forgetReceivedSsrcs(closed, transport);
    }

    /** True when an SSRC is in use on this participant's transport in either direction, or reserved. */
    boolean usesSsrc(long ssrc) {
        if (ssrc == feedbackSsrc || forwarding.holds(ssrc)) {
            return true;
        }
        for (Consumer consumer : consumers) {
            if (consumer.ssrc() == ssrc || consumer.rtxSsrc() == ssrc) {
                return true;
            }
        }
        return tracks.receivesSsrc(ssrc);
    }

    /** Sends the RTCP that is due: see {@link RtcpSender#sendDue}. Called by the server's timer. */
    void sendPeriodicRtcp(long nowMicros) {
        if (!closed) {
            rtcpOut.sendDue(tracks.array(), consumers, nowMicros);
        }
    }

    void markClosed() {
        closed = true;
        sink.close();
        data.close();
        transport.close();
    }

    @Override
    public String toString() {
        return "Participant[" + id + " '" + admission.displayName() + "' in " + room.name() + "]";
    }
}
