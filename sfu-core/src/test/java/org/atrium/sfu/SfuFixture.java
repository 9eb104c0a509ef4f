package org.atrium.sfu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.atrium.rtp.RtcpIterator;
import org.atrium.sfu.client.WebRtcPeer;
import org.atrium.sfu.room.Admission;
import org.atrium.sfu.transport.PayloadMapping;

/**
 * An SFU on loopback with connected test peers, all closed together. A test class that wants a
 * fresh one for each test holds it in an {@code @AutoClose} field.
 */
final class SfuFixture implements AutoCloseable {

    /** Matches one RTCP packet of a compound: the bytes, its offset and its length. */
    interface RtcpMatcher {
        boolean matches(byte[] compound, int off, int len);
    }

    private final Sfu sfu;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    SfuFixture() {
        this(SfuConfig.defaults());
    }

    /**
     * With other settings; the media port is always a free one on 127.0.0.1. Throws no checked
     * exception, so that a field initializer can start it.
     */
    SfuFixture(SfuConfig config) {
        try {
            sfu = new Sfu(config.withMedia(InetAddress.getByName("127.0.0.1"), 0, List.of()));
        } catch (IOException e) {
            throw new UncheckedIOException("the SFU did not start on 127.0.0.1", e);
        }
    }

    Sfu sfu() {
        return sfu;
    }

    /** A peer joined to the room, nothing started: the test wires its transport. */
    PeerInRoom joined(String room, String name) throws Exception {
        return closedWithFixture(PeerInRoom.join(sfu, room, name));
    }

    /** A peer joined to the room with ICE, DTLS and SRTP up on both sides. */
    PeerInRoom connected(String room, String name) throws Exception {
        return closedWithFixture(PeerInRoom.joinConnected(sfu, room, name));
    }

    /** A peer joined with the admission's grants, with ICE, DTLS and SRTP up on both sides. */
    PeerInRoom connected(String room, Admission admission) throws Exception {
        return closedWithFixture(PeerInRoom.joinConnected(sfu, room, admission));
    }

    /**
     * A client that made the offer (WHIP, WHEP) joined to the room, in its own numbers by the
     * mapping (null: the SFU's), with ICE, DTLS and SRTP up on both sides.
     */
    PeerInRoom connectedOfferer(String room, String name, PayloadMapping mapping) throws Exception {
        return closedWithFixture(PeerInRoom.joinConnectedAsOfferer(sfu, room, name, mapping));
    }

    private PeerInRoom closedWithFixture(PeerInRoom peer) {
        toClose.add(peer);
        return peer;
    }

    /**
     * The first RTCP packet the peer receives within the timeout that matches, copied out of its
     * compound; null when none does.
     */
    static byte[] nextRtcp(WebRtcPeer peer, Duration timeout, RtcpMatcher matcher) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RtcpIterator packets = new RtcpIterator();
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return null;
            }
            byte[] compound = peer.pollRtcp(Duration.ofNanos(remaining));
            if (compound == null) {
                return null;
            }
            packets.reset(compound, 0, compound.length);
            while (packets.next()) {
                int off = packets.offset();
                if (matcher.matches(compound, off, packets.length())) {
                    return Arrays.copyOfRange(compound, off, off + packets.length());
                }
            }
        }
    }

    /** As {@link #nextRtcp}, failing the test when no packet matches within the timeout. */
    static byte[] awaitRtcp(WebRtcPeer peer, Duration timeout, String what, RtcpMatcher matcher)
            throws InterruptedException {
        byte[] packet = nextRtcp(peer, timeout, matcher);
        if (packet == null) {
            throw new AssertionError("no RTCP " + what + " within " + timeout);
        }
        return packet;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        sfu.close();
    }
}
