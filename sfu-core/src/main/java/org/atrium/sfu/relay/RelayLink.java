package org.atrium.sfu.relay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.atrium.dtls.DtlsRole;
import org.atrium.dtls.Fingerprint;
import org.atrium.rtp.Fir;
import org.atrium.rtp.Nack;
import org.atrium.rtp.Pli;
import org.atrium.rtp.RtcpFeedback;
import org.atrium.rtp.RtcpIterator;
import org.atrium.rtp.RtcpPacketType;
import org.atrium.rtp.SenderReport;
import org.atrium.sctp.ChannelOptions;
import org.atrium.sctp.DataChannelInfo;
import org.atrium.sfu.data.DataChannels;
import org.atrium.sfu.media.PacketSink;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.room.LeaveReason;
import org.atrium.sfu.room.Participant;
import org.atrium.sfu.room.RemoteTrack;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.room.RoomException;
import org.atrium.sfu.room.RoomLink;
import org.atrium.sfu.room.TrackSource;
import org.atrium.sfu.stats.DataMetrics;
import org.atrium.sfu.stats.RelayMetrics;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.sfu.transport.TransportFailure;
import org.atrium.sfu.transport.WebRtcTransport;
import org.atrium.sfu.util.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room's link to another node that has members of the same room (docs/cluster.md, "The
 * relay between nodes"): an ICE, DTLS and SRTP transport on this node's media port, which
 * carries every track of this node's members once, and an SCTP data channel for events:
 * members, tracks, mutes and data-channel messages.
 *
 * <p>The link asks nothing of how its parameters reached the other node: the cluster layer
 * exchanges {@link #localParameters()} over an authenticated request, then calls
 * {@link #start}. The node that asked is the ICE controlling agent and the DTLS server, as the
 * SFU is towards a browser that answers its offer.
 */
public final class RelayLink implements RoomLink {

    private static final Logger LOG = LoggerFactory.getLogger(RelayLink.class);

    /** The link's event channel: reliable and ordered, so that events apply in the order they happened. */
    static final DataChannelInfo EVENT_CHANNEL = new DataChannelInfo(0, "atrium-relay", "",
            new ChannelOptions(true, -1, -1, ChannelOptions.NORMAL_PRIORITY, -1));

    /** Events waiting for the data channel beyond this close the link: the other node is not keeping up. */
    static final int MAX_PENDING_EVENTS = 20_000;
    private static final long FLUSH_PERIOD_MILLIS = 50;

    /**
     * What the other node needs to connect to this one.
     *
     * @param fingerprint the SHA-256 fingerprint of this node's DTLS certificate
     */
    public record Parameters(String iceUfrag, String icePassword, Fingerprint fingerprint,
            List<IceCandidate> candidates) {
        public Parameters {
            Objects.requireNonNull(iceUfrag, "iceUfrag");
            Objects.requireNonNull(icePassword, "icePassword");
            Objects.requireNonNull(fingerprint, "fingerprint");
            candidates = List.copyOf(candidates);
        }
    }

    /** What the cluster layer hears of a link. */
    public interface Listener {
        /** The link ended: failed, closed by either node, or its room closed. Called once. */
        void onClosed(RelayLink link, String reason);
    }

    /** Makes the link's transport; the server's, so that the link shares its port and certificate. */
    public interface TransportFactory {
        WebRtcTransport create(LogContext context, WebRtcTransport.Listener listener) throws IOException;
    }

    private final String localNodeId;
    private final String remoteNodeId;
    private final Room room;
    private final boolean initiator;
    private final ScheduledExecutorService timers;
    private final RelayMetrics metrics;
    private final DataMetrics dataMetrics;
    private final Listener listener;
    private final LogContext logContext;
    private final WebRtcTransport transport;
    private final OutboundTracks outbound;
    private final InboundTracks inbound;
    /** Sender SSRC of the RTCP this node sends on the link. */
    private final long feedbackSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    private final PacketSink upstream;
    private final ConcurrentLinkedQueue<byte[]> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledFuture<?> flusher;
    private volatile DataChannels channels;
    private volatile boolean mediaReady;
    /** Set once the other node's hello arrived and matched; nothing else is taken before it. */
    private volatile boolean greeted;
    private final RtcpIterator rtcp = new RtcpIterator();
    private final int[] lostScratch = new int[256];

    RelayLink(String localNodeId, String remoteNodeId, Room room, boolean initiator, TransportFactory transports,
            ScheduledExecutorService timers, RelayMetrics metrics, DataMetrics dataMetrics, Listener listener)
            throws IOException {
        this.localNodeId = localNodeId;
        this.remoteNodeId = remoteNodeId;
        this.room = room;
        this.initiator = initiator;
        this.timers = timers;
        this.metrics = metrics;
        this.dataMetrics = dataMetrics;
        this.listener = listener;
        this.logContext = new LogContext(room.name(), "link-" + remoteNodeId);
        this.transport = transports.create(logContext, new TransportListener());
        this.outbound = new OutboundTracks(transport, room.capabilities(), metrics);
        this.inbound = new InboundTracks(transport, metrics);
        this.upstream = new PacketSink() {
            @Override
            public boolean sendRtp(byte[] buf, int off, int len) {
                return false; // nothing but feedback goes back towards a remote publisher
            }

            @Override
            public boolean sendRtcp(byte[] buf, int off, int len) {
                return transport.sendRtcp(buf, off, len);
            }
        };
        queue(new RelayMessage.Hello(RelayMessage.VERSION, localNodeId, room.name()));
        this.flusher = timers.scheduleWithFixedDelay(this::flushQuietly, FLUSH_PERIOD_MILLIS, FLUSH_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Attaches the link to its room, which tells it of this node's members and tracks. */
    void attach() {
        try {
            room.attachLink(this);
        } catch (RuntimeException e) {
            close("room-closed");
            throw e;
        }
    }

    @Override
    public String remoteNodeId() {
        return remoteNodeId;
    }

    public String localNodeId() {
        return localNodeId;
    }

    public Room room() {
        return room;
    }

    /** Whether this node asked for the link: it then controls ICE and is the DTLS server. */
    public boolean isInitiator() {
        return initiator;
    }

    public Parameters localParameters() {
        return new Parameters(transport.iceUfrag(), transport.icePassword(),
                new Fingerprint("sha-256", transport.fingerprintSha256()), transport.localCandidates());
    }

    /** Connects to the other node with its parameters, as its answer to the link request gave them. */
    public void start(Parameters remote) {
        transport.start(new WebRtcTransport.RemoteParameters(remote.iceUfrag(), remote.icePassword(),
                remote.fingerprint(), initiator ? DtlsRole.SERVER : DtlsRole.CLIENT, remote.candidates(), initiator));
    }

    public boolean isMediaReady() {
        return mediaReady;
    }

    /** Whether the event channel is up and the other node said hello. */
    public boolean isEstablished() {
        DataChannels current = channels;
        return greeted && current != null && current.isConnected();
    }

    public boolean isClosed() {
        return closed.get();
    }

    public WebRtcTransport transport() {
        return transport;
    }

    /** Tracks of this node sent over the link. */
    public int outboundTrackCount() {
        return outbound.size();
    }

    void checkTimeouts(long nowMillis, long iceTimeoutMillis, long consentTimeoutMillis) {
        transport.checkTimeouts(nowMillis, iceTimeoutMillis, consentTimeoutMillis);
    }

    /**
     * Ends the link: the other node's members leave this node's view of the room, this node's
     * tracks stop crossing. Tells the other node when the event channel is up. Idempotent.
     */
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (LogContext.Scope scope = logContext.open()) {
            LOG.info("Relay link to node {} closed: {}", remoteNodeId, reason);
        }
        flusher.cancel(false);
        DataChannels current = channels;
        if (current != null && current.isConnected()) {
            current.deliver(EVENT_CHANNEL, RelayMessageCodec.encode(new RelayMessage.Bye(safeReason(reason))));
        }
        room.detachLink(this);
        outbound.clear();
        inbound.clear();
        if (current != null) {
            current.close();
        }
        transport.close();
        if (mediaReady) {
            metrics.linkDown();
        }
        listener.onClosed(this, reason);
    }

    private static String safeReason(String reason) {
        String cleaned = reason.replaceAll("[^A-Za-z0-9._-]", "-");
        return cleaned.isEmpty() ? "closed" : cleaned.substring(0, Math.min(64, cleaned.length()));
    }

    // ---- RoomLink: what happens to this node's members, told under the room's lock ----

    @Override
    public void memberJoined(Participant member) {
        queue(new RelayMessage.MemberJoined(member.id(), member.displayName(), member.identity()));
    }

    @Override
    public void memberLeft(Participant member, LeaveReason reason) {
        queue(new RelayMessage.MemberLeft(member.id(), reason.wireName()));
    }

    @Override
    public void trackPublished(Participant owner, Producer producer) {
        OutboundTracks.Track track = outbound.add(producer);
        List<RelayMessage.TrackPublished.Layer> layers = new ArrayList<>();
        for (int i = 0; i < track.ssrcs.length; i++) {
            layers.add(new RelayMessage.TrackPublished.Layer(producer.stream(i).rid(), track.ssrcs[i],
                    track.rtxSsrcs[i]));
        }
        TrackSource source = owner.sourceOf(producer.mid());
        queue(new RelayMessage.TrackPublished(owner.id(), producer.id(), producer.mid(), producer.kind(), source,
                source != null && owner.isMuted(source), layers));
        // The other node's receivers need a keyframe to start: ask once the link carries it.
        producer.requestKeyframe();
    }

    @Override
    public void trackClosed(Participant owner, Producer producer) {
        if (outbound.remove(producer) != null) {
            queue(new RelayMessage.TrackClosed(producer.id()));
        }
    }

    @Override
    public void muted(Participant owner, TrackSource source, boolean muted) {
        queue(new RelayMessage.Muted(owner.id(), source, muted));
    }

    @Override
    public void data(Participant sender, DataChannelInfo channel, boolean text, List<String> targets, byte[] payload) {
        queue(new RelayMessage.Data(RelayMessage.Channel.of(channel), sender.id(), targets, text, payload));
    }

    @Override
    public void roomClosed() {
        timers.execute(() -> close("room-closed"));
    }

    // ---- events out: queued, sent on the timer thread once the channel is up ----

    private void queue(RelayMessage message) {
        if (closed.get()) {
            return;
        }
        byte[] encoded;
        try {
            encoded = RelayMessageCodec.encode(message);
        } catch (IllegalArgumentException e) {
            // A value the other node could not decode (a name over its bound): not sent, and said why.
            try (LogContext.Scope scope = logContext.open()) {
                LOG.warn("Relay event not sent: {}", e.getMessage());
            }
            return;
        }
        if (pendingCount.incrementAndGet() > MAX_PENDING_EVENTS) {
            metrics.dropped(RelayMetrics.Drop.BACKLOG);
            timers.execute(() -> close("backlog"));
            return;
        }
        pending.add(encoded);
        if (isConnected() && flushQueued.compareAndSet(false, true)) {
            timers.execute(this::flushQuietly);
        }
    }

    private boolean isConnected() {
        DataChannels current = channels;
        return current != null && current.isConnected();
    }

    private void flushQuietly() {
        flushQueued.set(false);
        try {
            flush();
        } catch (RuntimeException e) {
            try (LogContext.Scope scope = logContext.open()) {
                LOG.warn("Relay link to node {}: sending events failed", remoteNodeId, e);
            }
            close("internal-error");
        }
    }

    private void flush() {
        DataChannels current = channels;
        if (current == null || !current.isConnected() || closed.get()) {
            return;
        }
        byte[] message;
        while ((message = pending.peek()) != null) {
            org.atrium.sfu.data.DataDropReason dropped = current.deliver(EVENT_CHANNEL, message);
            if (dropped == org.atrium.sfu.data.DataDropReason.RECEIVER_NOT_CONNECTED) {
                return; // the channel is opening: the next flush sends it
            }
            pending.poll();
            pendingCount.decrementAndGet();
            if (dropped != null) {
                close("event-channel-" + dropped.label());
                return;
            }
            metrics.messageSent();
        }
    }

    // ---- events in, on the DTLS thread ----

    private final class ChannelEvents implements DataChannels.Events {
        @Override
        public void onMessage(DataChannelInfo channel, boolean binary, byte[] message) {
            if (!binary || !EVENT_CHANNEL.label().equals(channel.label())) {
                metrics.dropped(RelayMetrics.Drop.MALFORMED_MESSAGE);
                return;
            }
            RelayMessageCodec.Decoded decoded = RelayMessageCodec.decode(message, 0, message.length);
            if (!decoded.ok()) {
                metrics.dropped(RelayMetrics.Drop.MALFORMED_MESSAGE);
                try (LogContext.Scope scope = logContext.open()) {
                    LOG.debug("Malformed relay message from node {}: {}", remoteNodeId, decoded.error().label());
                }
                return;
            }
            metrics.messageReceived();
            try {
                apply(decoded.message());
            } catch (RoomException e) {
                metrics.dropped(RelayMetrics.Drop.REFUSED_MESSAGE);
                try (LogContext.Scope scope = logContext.open()) {
                    LOG.info("Relay message from node {} refused: {}", remoteNodeId, e.getMessage());
                }
            }
        }

        @Override
        public void onOverflow(String label) {
            timers.execute(() -> close("event-channel-overflow"));
        }
    }

    private void apply(RelayMessage message) {
        if (!greeted) {
            if (message instanceof RelayMessage.Hello hello && hello.version() == RelayMessage.VERSION
                    && hello.nodeId().equals(remoteNodeId) && hello.room().equals(room.name())) {
                greeted = true;
                return;
            }
            metrics.dropped(RelayMetrics.Drop.REFUSED_MESSAGE);
            timers.execute(() -> close("bad-hello"));
            return;
        }
        if (message instanceof RelayMessage.MemberJoined joined) {
            room.addRemoteMember(remoteNodeId, joined.participantId(), joined.displayName(), joined.identity());
        } else if (message instanceof RelayMessage.MemberLeft left) {
            room.removeRemoteMember(remoteNodeId, left.participantId(), leaveReason(left.reason()));
        } else if (message instanceof RelayMessage.TrackPublished track) {
            publish(track);
        } else if (message instanceof RelayMessage.TrackClosed track) {
            InboundTracks.Track removed = inbound.remove(track.producerId());
            if (removed != null) {
                room.closeRemoteTrack(remoteNodeId, removed.ownerId(), track.producerId());
            }
        } else if (message instanceof RelayMessage.Muted muted) {
            room.setRemoteMuted(remoteNodeId, muted.participantId(), muted.source(), muted.muted());
        } else if (message instanceof RelayMessage.Data data) {
            room.deliverRemoteData(remoteNodeId, data.channel().toInfo(), data.senderId(), data.text(),
                    data.targets(), data.payload());
        } else if (message instanceof RelayMessage.Bye bye) {
            timers.execute(() -> close("closed-by-peer-" + bye.reason()));
        } else if (message instanceof RelayMessage.Hello) {
            metrics.dropped(RelayMetrics.Drop.REFUSED_MESSAGE);
        }
        // LayerDemand: every layer crosses the link for now; read once links send only what is asked.
    }

    private void publish(RelayMessage.TrackPublished track) {
        List<RemoteTrack.Layer> layers = new ArrayList<>();
        for (RelayMessage.TrackPublished.Layer layer : track.layers()) {
            if (inbound.usesSsrc(layer.ssrc()) || layer.rtxSsrc() >= 0 && inbound.usesSsrc(layer.rtxSsrc())) {
                InboundTracks.Track same = inbound.find(track.producerId());
                if (same == null) {
                    throw new RoomException("ssrc-in-use", "ssrc " + layer.ssrc() + " is taken on the link");
                }
            }
            layers.add(new RemoteTrack.Layer(layer.rid(), layer.ssrc(), layer.rtxSsrc()));
        }
        RemoteTrack remote = new RemoteTrack(track.producerId(), track.mid(), track.kind(), track.source(), layers);
        InboundTracks.Track previous = inbound.remove(track.producerId());
        if (previous != null) {
            room.closeRemoteTrack(remoteNodeId, previous.ownerId(), track.producerId());
        }
        Producer producer = room.publishRemote(remoteNodeId, track.participantId(), remote, upstream, feedbackSsrc);
        inbound.add(track.participantId(), producer);
        if (track.source() != null && track.muted()) {
            room.setRemoteMuted(remoteNodeId, track.participantId(), track.source(), true);
        }
    }

    private static LeaveReason leaveReason(String wireName) {
        for (LeaveReason reason : LeaveReason.values()) {
            if (reason.wireName().equals(wireName)) {
                return reason;
            }
        }
        return LeaveReason.LEFT;
    }

    // ---- the transport ----

    private final class TransportListener implements WebRtcTransport.Listener {
        @Override
        public void onMediaReady() {
            channels = new DataChannels(DataChannels.config(5000), transport.dtlsRole() == DtlsRole.CLIENT,
                    transport::sendDataPacket, timers, dataMetrics, new ChannelEvents());
            mediaReady = true;
            metrics.linkUp();
            try (LogContext.Scope scope = logContext.open()) {
                LOG.info("Relay link to node {} is up ({})", remoteNodeId, transport.selectedPair());
            }
        }

        @Override
        public void onFailed(TransportFailure failure, String detail) {
            timers.execute(() -> close(failure.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
        }

        @Override
        public void onRtp(byte[] buf, int off, int len, long receivedNanos) {
            inbound.onRtp(buf, off, len, receivedNanos);
        }

        @Override
        public void onRtcp(byte[] buf, int off, int len) {
            RelayLink.this.onRtcp(buf, off, len);
        }

        @Override
        public void onDataPacket(byte[] buf, int off, int len) {
            DataChannels current = channels;
            if (current != null) {
                current.receive(buf, off, len);
            }
        }
    }

    /** Feedback about this node's tracks, and Sender Reports about the other node's. Receive thread. */
    private void onRtcp(byte[] buf, int off, int len) {
        RtcpIterator packets = rtcp;
        packets.reset(buf, off, len);
        long nowNanos = System.nanoTime();
        while (packets.next()) {
            int type = packets.packetType();
            int at = packets.offset();
            int length = packets.length();
            if (type == RtcpPacketType.SR && SenderReport.is(buf, at, length)) {
                inbound.onSenderReport(SenderReport.senderSsrc(buf, at), SenderReport.ntpTimestamp(buf, at),
                        SenderReport.rtpTimestamp(buf, at), nowNanos);
            } else if (type == RtcpPacketType.RTPFB && Nack.is(buf, at, length)) {
                int count = Nack.lostSequences(buf, at, lostScratch);
                outbound.onNack(RtcpFeedback.mediaSsrc(buf, at), lostScratch, count, nowNanos);
            } else if (type == RtcpPacketType.PSFB && Pli.is(buf, at, length)) {
                outbound.onKeyframeRequest(RtcpFeedback.mediaSsrc(buf, at));
            } else if (type == RtcpPacketType.PSFB && Fir.is(buf, at, length)) {
                for (int i = 0; i < Fir.entryCount(buf, at); i++) {
                    outbound.onKeyframeRequest(Fir.entrySsrc(buf, at, i));
                }
            }
        }
    }

    @Override
    public String toString() {
        return "RelayLink[" + room.name() + " " + localNodeId + "->" + remoteNodeId + "]";
    }
}
