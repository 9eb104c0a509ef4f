package org.atrium.sfu;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.atrium.rtp.RtcpIterator;
import org.atrium.sfu.client.WebRtcPeer;
import org.atrium.sfu.room.Admission;

/** An SFU on loopback with connected test peers, all closed together. */
final class SfuFixture implements AutoCloseable {

    /** Matches one RTCP packet of a compound: the bytes, its offset and its length. */
    interface RtcpMatcher {
        boolean matches(byte[] compound, int off, int len);
    }

    private final Sfu sfu;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    SfuFixture() throws Exception {
        this(SfuConfig.defaults());
    }

    /** With other settings; the media port is always a free one on 127.0.0.1. */
    SfuFixture(SfuConfig config) throws Exception {
        sfu = new Sfu(config.withMedia(InetAddress.getByName("127.0.0.1"), 0, List.of()));
    }

    Sfu sfu() {
        return sfu;
    }

    /** A peer joined to the room with ICE, DTLS and SRTP up on both sides. */
    PeerInRoom connected(String room, String name) throws Exception {
        PeerInRoom peer = PeerInRoom.joinConnected(sfu, room, name);
        toClose.add(peer);
        return peer;
    }

    /** A peer joined with the admission's grants, with ICE, DTLS and SRTP up on both sides. */
    PeerInRoom connected(String room, Admission admission) throws Exception {
        PeerInRoom peer = PeerInRoom.joinConnected(sfu, room, admission);
        toClose.add(peer);
        return peer;
    }

    /** The first RTCP packet the peer receives that matches, copied out of its compound. */
    static byte[] awaitRtcp(WebRtcPeer peer, Duration timeout, String what, RtcpMatcher matcher)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RtcpIterator packets = new RtcpIterator();
        while (System.nanoTime() < deadline) {
            byte[] compound = peer.pollRtcp(Duration.ofMillis(200));
            if (compound == null) {
                continue;
            }
            packets.reset(compound, 0, compound.length);
            while (packets.next()) {
                int off = packets.offset();
                if (matcher.matches(compound, off, packets.length())) {
                    return Arrays.copyOfRange(compound, off, off + packets.length());
                }
            }
        }
        throw new AssertionError("no RTCP " + what + " within " + timeout);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        sfu.close();
    }
}
