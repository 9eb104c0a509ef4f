package org.atrium.sfu.turn;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A sans-I/O TURN server (RFC 8656 over RFC 8489 STUN): bytes from clients and peers in, bytes to
 * clients and relay sockets out through {@link TurnIo} and {@link RelaySocket}, no sockets or
 * threads of its own. Long-term credentials are TURN REST API ones ({@link TurnCredentials});
 * relays are UDP over IPv4; peers are limited by {@link TurnConfig#peers()}.
 *
 * <p>Thread-safe. Control requests, {@link #expire} and {@link #onConnectionClosed} run under one
 * lock (they are rare, and the edge's {@code openRelay} and {@code sendToClient} are called under
 * it). The data path (ChannelData and Send indications from clients, datagrams from peers) takes
 * no lock: it reads the allocation maps and the allocations' copy-on-write permissions and
 * channels. Nothing is thrown out of the public methods: a failure inside counts the message as
 * {@link TurnDropReason#MALFORMED}. The caller keeps its buffers; the engine does not hold them.
 */
public final class TurnEngine {

    private final TurnIo io;
    private final TurnMetrics metrics;
    private final PeerPolicy peers;
    private final Allocations allocations;
    private final TurnControl control;
    private final Object lock = new Object();
    /** The last exception the public methods caught: a bug, as malformed input is dropped before any is thrown. For tests. */
    volatile Exception lastFailure;

    public TurnEngine(TurnConfig config, TurnIo io, TurnMetrics metrics) {
        this.io = Objects.requireNonNull(io, "io");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.peers = config.peers();
        this.allocations = new Allocations(metrics);
        NonceMinter nonces = new NonceMinter(new SecureRandom(), NonceMinter.LIFETIME_MILLIS);
        this.control = new TurnControl(config, io, metrics, allocations,
                new TurnAuthenticator(config, nonces, io, metrics));
    }

    /** One STUN message or one ChannelData message from a client (over TCP/TLS the edge has already split the stream into messages). */
    public void onClientMessage(TurnClient client, byte[] buf, int off, int len, long nowMillis) {
        try {
            if (ChannelData.isChannelData(buf, off, len)) {
                channelDataFromClient(client, buf, off, len, nowMillis);
            } else if (len >= StunScan.HEADER && StunIntegrity.readShort(buf, off) == TurnIndications.SEND_INDICATION) {
                sendIndication(client, buf, off, len, nowMillis);
            } else {
                controlMessage(client, buf, off, len, nowMillis);
            }
        } catch (Exception e) {
            failed(e);
        }
    }

    /** One datagram that arrived on an allocation's relay socket from a peer. */
    public void onPeerData(RelaySocket relay, InetSocketAddress peer, byte[] buf, int off, int len, long nowMillis) {
        try {
            Allocation allocation = allocations.byRelay(relay);
            if (allocation == null) {
                metrics.dropped(TurnDropReason.NO_ALLOCATION);
                return;
            }
            // RFC 8656 10.3 and 12.7: data reaches the client only from a peer with a permission.
            if (!allocation.permissions.permits(peer.getAddress(), nowMillis)) {
                metrics.dropped(TurnDropReason.NO_PERMISSION);
                return;
            }
            if (!peers.permits(peer)) {
                metrics.dropped(TurnDropReason.PEER_FORBIDDEN);
                return;
            }
            ChannelBindings.Binding binding = allocation.channels.byPeer(peer, nowMillis);
            byte[] out = binding != null
                    ? ChannelData.write(binding.channel(), buf, off, len,
                            allocation.client.transport() != TurnTransport.UDP)
                    : TurnIndications.writeData(peer, buf, off, len);
            io.sendToClient(allocation.client, out, 0, out.length);
            metrics.relayedToClient(len);
        } catch (Exception e) {
            failed(e);
        }
    }

    /** A TCP/TLS client connection closed: its allocations end (RFC 8656: an allocation is bound to its 5-tuple). */
    public void onConnectionClosed(TurnClient client, long nowMillis) {
        try {
            synchronized (lock) {
                Allocation allocation = allocations.byClient(client);
                if (allocation != null) {
                    allocations.remove(allocation);
                }
            }
        } catch (Exception e) {
            failed(e);
        }
    }

    /** Ends allocations, permissions and channel bindings whose time is up; the edge calls it about once a second. */
    public void expire(long nowMillis) {
        try {
            synchronized (lock) {
                allocations.expire(nowMillis);
            }
        } catch (Exception e) {
            failed(e);
        }
    }

    private void failed(Exception e) {
        lastFailure = e;
        metrics.dropped(TurnDropReason.MALFORMED);
    }

    public int allocationCount() {
        return allocations.size();
    }

    private void controlMessage(TurnClient client, byte[] buf, int off, int len, long nowMillis) {
        // A copy: ice4j's decoder reads from offset 0 to the array's end, and integrity checks patch the length field.
        byte[] msg = Arrays.copyOfRange(buf, off, off + len);
        StunScan scan = StunScan.scan(msg, 0, msg.length);
        if (scan == null) {
            metrics.dropped(TurnDropReason.MALFORMED);
            return;
        }
        if (scan.messageClass() != 0) {
            metrics.dropped(TurnDropReason.UNEXPECTED);
            return;
        }
        synchronized (lock) {
            control.onRequest(client, msg, scan, nowMillis);
        }
    }

    /** RFC 8656 12.6: relayed to the channel's peer, if bound and permitted; silently dropped otherwise. */
    private void channelDataFromClient(TurnClient client, byte[] buf, int off, int len, long nowMillis) {
        Allocation allocation = allocations.byClient(client);
        if (allocation == null) {
            metrics.dropped(TurnDropReason.NO_ALLOCATION);
            return;
        }
        int length = ChannelData.dataLength(buf, off, len);
        if (length < 0) {
            metrics.dropped(TurnDropReason.MALFORMED);
            return;
        }
        ChannelBindings.Binding binding = allocation.channels.byChannel(ChannelData.channel(buf, off), nowMillis);
        if (binding == null) {
            metrics.dropped(TurnDropReason.NO_CHANNEL);
            return;
        }
        relayToPeer(allocation, binding.peer(), buf, off + ChannelData.HEADER, length, nowMillis);
    }

    /** RFC 8656 10.2: relayed to XOR-PEER-ADDRESS, if permitted; silently dropped otherwise. */
    private void sendIndication(TurnClient client, byte[] buf, int off, int len, long nowMillis) {
        Allocation allocation = allocations.byClient(client);
        if (allocation == null) {
            metrics.dropped(TurnDropReason.NO_ALLOCATION);
            return;
        }
        StunScan scan = StunScan.scan(buf, off, len);
        if (scan == null) {
            metrics.dropped(TurnDropReason.MALFORMED);
            return;
        }
        TurnIndications.Send send = TurnIndications.readSend(buf, scan);
        if (send == null) {
            metrics.dropped(TurnDropReason.BAD_SEND);
            return;
        }
        relayToPeer(allocation, send.peer(), buf, send.dataAt(), send.length(), nowMillis);
    }

    private void relayToPeer(Allocation allocation, InetSocketAddress peer, byte[] buf, int off, int len,
            long nowMillis) {
        if (!allocation.permissions.permits(peer.getAddress(), nowMillis)) {
            metrics.dropped(TurnDropReason.NO_PERMISSION);
            return;
        }
        if (!peers.permits(peer)) {
            metrics.dropped(TurnDropReason.PEER_FORBIDDEN);
            return;
        }
        allocation.relay.send(peer, buf, off, len);
        metrics.relayedToPeer(len);
    }
}
