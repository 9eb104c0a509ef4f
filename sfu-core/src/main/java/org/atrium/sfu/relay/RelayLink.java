package org.atrium.sfu.relay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.atrium.dtls.DtlsRole;
import org.atrium.dtls.Fingerprint;
import org.atrium.rtp.Fir;
import org.atrium.rtp.Nack;
import org.atrium.rtp.Pli;
import org.atrium.rtp.RtcpFeedback;
import org.atrium.rtp.RtcpIterator;
import org.atrium.rtp.RtcpPacketType;
import org.atrium.rtp.SenderReport;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.PacketSink;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.room.LeaveReason;
import org.atrium.sfu.room.RemoteTrack;
import org.atrium.sfu.room.Room;
import org.atrium.sfu.room.RoomException;
import org.atrium.sfu.stats.DataMetrics;
import org.atrium.sfu.stats.RelayMetrics;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.sfu.transport.TransportFailure;
import org.atrium.sfu.transport.WebRtcTransport;
import org.atrium.sfu.util.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's link to another node of the cluster (docs/cluster.md, "The relay between
 * nodes"): an ICE, DTLS and SRTP transport on this node's media port, and an SCTP data
 * channel for events. It serves every room both nodes have members of: a room is open on the
 * link once each node said {@link RelayMessage.RoomOpen} for it, and from then on each node
 * sends the other its members, tracks (every packet once), mutes and data-channel messages
 * in that room ({@link RoomRelay}).
 *
 * <p>The link asks nothing of how its parameters reached the other node: the cluster layer
 * exchanges {@link #localParameters()} over an authenticated request, then calls
 * {@link #start}. The node that asked is the ICE controlling agent and the DTLS server, as the
 * SFU is towards a browser that answers its offer.
 */
public final class RelayLink {

    private static final Logger LOG = LoggerFactory.getLogger(RelayLink.class);

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
        /** The link ended: failed, closed by either node, or its server stopped. Called once. */
        void onClosed(RelayLink link, String reason);
    }

    /** Makes the link's transport; the server's, so that the link shares its port and certificate. */
    public interface TransportFactory {
        WebRtcTransport create(LogContext context, WebRtcTransport.Listener listener) throws IOException;
    }

    private final String localNodeId;
    private final String remoteNodeId;
    private final boolean initiator;
    private final Function<String, Room> localRooms;
    private final ScheduledExecutorService timers;
    private final RelayMetrics metrics;
    private final Listener listener;
    private final LogContext logContext;
    private final WebRtcTransport transport;
    private final OutboundTracks outbound;
    private final InboundTracks inbound;
    /** Sender SSRC of the RTCP this node sends on the link. */
    private final long feedbackSsrc = ThreadLocalRandom.current().nextLong(1, 1L << 32);
    private final PacketSink upstream;
    private final EventChannel events;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Rooms this node opened on the link, by name; guarded by this. */
    private final Map<String, RoomRelay> opened = new HashMap<>();
    /** Rooms the other node opened; guarded by this. */
    private final Set<String> openedByPeer = new HashSet<>();
    /** Rooms open on both sides, attached to their room, by name; guarded by this. */
    private final Map<String, RoomRelay> attached = new HashMap<>();
    private volatile boolean mediaReady;
    /** Set once the other node's hello arrived and matched; nothing else is taken before it. */
    private volatile boolean greeted;
    private final RtcpIterator rtcp = new RtcpIterator();
    private final int[] lostScratch = new int[256];

    RelayLink(String localNodeId, String remoteNodeId, boolean initiator, Function<String, Room> localRooms,
            MediaCapabilities capabilities, TransportFactory transports, ScheduledExecutorService timers,
            RelayMetrics metrics, DataMetrics dataMetrics, Listener listener) throws IOException {
        this.localNodeId = localNodeId;
        this.remoteNodeId = remoteNodeId;
        this.initiator = initiator;
        this.localRooms = localRooms;
        this.timers = timers;
        this.metrics = metrics;
        this.listener = listener;
        this.logContext = new LogContext(null, "link-" + remoteNodeId);
        this.transport = transports.create(logContext, new TransportListener());
        this.outbound = new OutboundTracks(transport, capabilities, metrics);
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
        this.events = new EventChannel(logContext, timers, metrics, dataMetrics, new EventChannel.Receiver() {
            @Override
            public void onMessage(RelayMessage message) {
                try {
                    apply(message);
                } catch (RoomException e) {
                    metrics.dropped(RelayMetrics.Drop.REFUSED_MESSAGE);
                    try (LogContext.Scope scope = logContext.open()) {
                        LOG.info("Relay message from node {} refused: {}", remoteNodeId, e.getMessage());
                    }
                }
            }

            @Override
            public void onFailed(String reason) {
                close(reason);
            }
        });
        send(new RelayMessage.Hello(RelayMessage.VERSION, localNodeId));
    }

    public String remoteNodeId() {
        return remoteNodeId;
    }

    /** Whether this node asked for the link: it then controls ICE and is the DTLS server. */
    public boolean isInitiator() {
        return initiator;
    }

    public Parameters localParameters() {
        return new Parameters(transport.iceUfrag(), transport.icePassword(),
                new Fingerprint("sha-256", transport.fingerprintSha256()), transport.localCandidates());
    }

    /** Connects to the other node with its parameters, as the link request or its answer gave them. */
    public void start(Parameters remote) {
        WebRtcTransport.RemoteParameters parameters = new WebRtcTransport.RemoteParameters(remote.iceUfrag(),
                remote.icePassword(), remote.fingerprint(), initiator ? DtlsRole.SERVER : DtlsRole.CLIENT,
                remote.candidates(), initiator);
        if (initiator) {
            // Servers wait to be checked: the node that asked checks first, as a browser would;
            // the other answers, and its own checks follow as triggered checks.
            transport.startTowardsServer(parameters);
        } else {
            transport.start(parameters);
        }
    }

    /** Whether the event channel is up and the other node said hello. */
    public boolean isEstablished() {
        return greeted && events.isConnected();
    }

    public boolean isClosed() {
        return closed.get();
    }

    public WebRtcTransport transport() {
        return transport;
    }

    /** Tracks of this node sent over the link, in every room. */
    public int outboundTrackCount() {
        return outbound.size();
    }

    /** The rooms open on both sides, by name. */
    public synchronized Set<String> rooms() {
        return Set.copyOf(attached.keySet());
    }

    OutboundTracks outbound() {
        return outbound;
    }

    void checkTimeouts(long nowMillis, long iceTimeoutMillis, long consentTimeoutMillis) {
        transport.checkTimeouts(nowMillis, iceTimeoutMillis, consentTimeoutMillis);
    }

    // ---- rooms ----

    /**
     * Opens a room of this node on the link: this node has members in it and wants the other
     * node's. Once the other node opened it too, each tells the other of its members and
     * tracks there. Nothing when it is open already.
     */
    public void openRoom(Room room) {
        RoomRelay relay;
        boolean attachNow;
        synchronized (this) {
            if (closed.get()) {
                return;
            }
            RoomRelay existing = opened.get(room.name());
            if (existing != null && existing.room() == room) {
                return;
            }
            if (existing != null) {
                detach(existing); // the name's earlier room closed and came back
            }
            relay = new RoomRelay(this, room);
            opened.put(room.name(), relay);
            attachNow = openedByPeer.contains(room.name());
            send(new RelayMessage.RoomOpen(room.name()));
        }
        if (attachNow) {
            attach(relay);
        }
    }

    /** A room this node opened has closed (its last participant left). */
    void onLocalRoomClosed(RoomRelay relay) {
        synchronized (this) {
            if (opened.get(relay.name()) != relay) {
                return;
            }
            opened.remove(relay.name());
            send(new RelayMessage.RoomClosed(relay.name()));
        }
        timers.execute(() -> detach(relay));
    }

    private void attach(RoomRelay relay) {
        synchronized (this) {
            if (closed.get() || opened.get(relay.name()) != relay || attached.containsKey(relay.name())) {
                return;
            }
            attached.put(relay.name(), relay);
        }
        try {
            relay.room().attachLink(relay);
        } catch (RoomException e) {
            // Closed in between: its closing tells the link.
            synchronized (this) {
                attached.remove(relay.name(), relay);
            }
        }
    }

    /** Takes a room off the link: the other node's members leave it here, this node's tracks stop crossing. */
    private void detach(RoomRelay relay) {
        synchronized (this) {
            attached.remove(relay.name(), relay);
        }
        // Detaching removes the other node's members from the room, and their tracks with them.
        relay.room().detachLink(relay);
        relay.stopSending();
        inbound.removeRoom(relay.name());
    }

    /** The relay of a room open on both sides, or null. */
    private synchronized RoomRelay attachedRoom(String name) {
        return attached.get(name);
    }

    /**
     * Ends the link: the other node's members leave this node's rooms, this node's tracks stop
     * crossing. Tells the other node when the event channel is up. Idempotent.
     */
    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try (LogContext.Scope scope = logContext.open()) {
            LOG.info("Relay link to node {} closed: {}", remoteNodeId, reason);
        }
        events.close(new RelayMessage.Bye(safeReason(reason)));
        List<RoomRelay> rooms;
        synchronized (this) {
            rooms = new ArrayList<>(opened.values());
            opened.clear();
            openedByPeer.clear();
        }
        for (RoomRelay relay : rooms) {
            detach(relay);
        }
        outbound.clear();
        inbound.clear();
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

    /** Queues a message for the other node; called under the room's lock by {@link RoomRelay}: never blocks. */
    void send(RelayMessage message) {
        if (!closed.get()) {
            events.send(message);
        }
    }

    // ---- events in, on the DTLS thread ----

    private void apply(RelayMessage message) {
        if (!greeted) {
            if (message instanceof RelayMessage.Hello hello && hello.version() == RelayMessage.VERSION
                    && hello.nodeId().equals(remoteNodeId)) {
                greeted = true;
                return;
            }
            metrics.dropped(RelayMetrics.Drop.REFUSED_MESSAGE);
            timers.execute(() -> close("bad-hello"));
            return;
        }
        if (message instanceof RelayMessage.RoomOpen open) {
            onRoomOpenedByPeer(open.room());
            return;
        }
        if (message instanceof RelayMessage.RoomClosed roomClosed) {
            onRoomClosedByPeer(roomClosed.room());
            return;
        }
        if (message instanceof RelayMessage.Bye bye) {
            timers.execute(() -> close("closed-by-peer-" + bye.reason()));
            return;
        }
        if (!(message instanceof RelayMessage.RoomScoped scoped)) {
            metrics.dropped(RelayMetrics.Drop.REFUSED_MESSAGE); // a second hello
            return;
        }
        RoomRelay relay = attachedRoom(scoped.room());
        if (relay == null) {
            // Not open here (any more): what the other node sent before it heard so.
            metrics.dropped(RelayMetrics.Drop.REFUSED_MESSAGE);
            return;
        }
        Room room = relay.room();
        if (message instanceof RelayMessage.MemberJoined joined) {
            room.addRemoteMember(remoteNodeId, joined.participantId(), joined.displayName(), joined.identity());
        } else if (message instanceof RelayMessage.MemberLeft left) {
            room.removeRemoteMember(remoteNodeId, left.participantId(), leaveReason(left.reason()));
        } else if (message instanceof RelayMessage.TrackPublished track) {
            publish(room, track);
        } else if (message instanceof RelayMessage.TrackClosed track) {
            InboundTracks.Track removed = inbound.remove(room.name(), track.producerId());
            if (removed != null) {
                room.closeRemoteTrack(remoteNodeId, removed.ownerId(), track.producerId());
            }
        } else if (message instanceof RelayMessage.Muted muted) {
            room.setRemoteMuted(remoteNodeId, muted.participantId(), muted.source(), muted.muted());
        } else if (message instanceof RelayMessage.Data data) {
            room.deliverRemoteData(remoteNodeId, data.channel().toInfo(), data.senderId(), data.text(), data.targets(),
                    data.payload());
        } else if (message instanceof RelayMessage.LayerDemand demand) {
            relay.onLayerDemand(demand.producerId(), demand.layerMask());
        }
    }

    private void onRoomOpenedByPeer(String name) {
        RoomRelay relay;
        synchronized (this) {
            openedByPeer.add(name);
            relay = opened.get(name);
        }
        if (relay == null) {
            // This node has members there but had not opened it yet: the other node's join came first.
            Room local = localRooms.apply(name);
            if (local != null) {
                openRoom(local);
            }
            return;
        }
        attach(relay);
    }

    private void onRoomClosedByPeer(String name) {
        RoomRelay relay;
        synchronized (this) {
            openedByPeer.remove(name);
            relay = attached.get(name);
        }
        if (relay != null) {
            detach(relay);
        }
    }

    private void publish(Room room, RelayMessage.TrackPublished track) {
        List<RemoteTrack.Layer> layers = new ArrayList<>();
        InboundTracks.Track previous = inbound.find(room.name(), track.producerId());
        for (RelayMessage.TrackPublished.Layer layer : track.layers()) {
            boolean taken = inbound.usesSsrc(layer.ssrc()) || layer.rtxSsrc() >= 0 && inbound.usesSsrc(layer.rtxSsrc());
            if (taken && previous == null) {
                throw new RoomException("ssrc-in-use", "ssrc " + layer.ssrc() + " is taken on the link");
            }
            layers.add(new RemoteTrack.Layer(layer.rid(), layer.ssrc(), layer.rtxSsrc()));
        }
        RemoteTrack remote = new RemoteTrack(track.producerId(), track.mid(), track.kind(), track.source(), layers);
        if (previous != null) {
            inbound.remove(room.name(), track.producerId());
            room.closeRemoteTrack(remoteNodeId, previous.ownerId(), track.producerId());
        }
        room.publishRemote(remoteNodeId, track.participantId(), remote, upstream, feedbackSsrc,
                producer -> inbound.add(room.name(), track.participantId(), producer));
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
            events.open(transport, !initiator); // the node that was asked starts the association, as a browser would
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
            events.receive(buf, off, len);
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
        return "RelayLink[" + localNodeId + "->" + remoteNodeId + "]";
    }
}
