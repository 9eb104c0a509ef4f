package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.atrium.sctp.packet.ChunkIterator;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.CookieEchoChunk;
import org.atrium.sctp.packet.DataChunk;
import org.atrium.sctp.packet.InitChunk;
import org.atrium.sctp.packet.Parameter;
import org.atrium.sctp.packet.ParameterIterator;
import org.atrium.sctp.packet.SctpPacket;

/**
 * A peer played by hand, byte by byte, against one {@link DataChannelEndpoint} (the DTLS
 * server, waiting for our INIT): the test chooses every TSN, so it can send DATA the way a
 * broken or hostile stack would without desynchronizing a real peer.
 */
final class RawPeer implements DataChannelListener {
    static final int MY_TAG = 0x11223344;

    final DataChannelEndpoint endpoint;
    final List<byte[]> received = new ArrayList<>();
    final List<byte[]> messages = new ArrayList<>();
    long now = 5_000_000;
    int peerTag;
    /** Our next TSN. */
    int tsn = 0x7ffffff0; // crosses the signed 32-bit boundary soon: serial arithmetic is exercised

    RawPeer(SctpConfig config) {
        endpoint = new DataChannelEndpoint(config, false, this, new SplittableRandom(99));
    }

    @Override
    public void sendPacket(byte[] packet, int offset, int length) {
        byte[] p = java.util.Arrays.copyOfRange(packet, offset, offset + length);
        assertTrue(SctpPacket.checksumValid(p, 0, p.length));
        received.add(p);
    }

    @Override
    public void onChannelOpen(DataChannelInfo channel, boolean openedByPeer) {
    }

    @Override
    public void onMessage(int streamId, boolean binary, byte[] message) {
        messages.add(message);
    }

    @Override
    public void onChannelClosed(int streamId) {
    }

    @Override
    public void onClosed(String reason) {
    }

    void inject(int tag, String chunksHex) {
        byte[] p = BadInputTest.packet(tag, chunksHex);
        endpoint.receive(p, 0, p.length, now);
    }

    void inject(String chunksHex) {
        inject(peerTag, chunksHex);
    }

    static String hex(int v) {
        return String.format("%08x", v);
    }

    /** INIT, INIT ACK, COOKIE ECHO, COOKIE ACK. */
    void handshake() {
        inject(0, "01 00 001e " + hex(MY_TAG) + " 00100000 0400 0400 " + hex(tsn) + " c000 0004 8008 0006 c0 82 0000");
        byte[] initAck = received.get(received.size() - 1);
        int c = SctpPacket.HEADER_LENGTH;
        assertTrue(InitChunk.is(initAck, c, org.atrium.sctp.packet.Chunk.length(initAck, c), ChunkType.INIT_ACK));
        peerTag = InitChunk.initiateTag(initAck, c);
        int cookie = ParameterIterator.find(initAck, InitChunk.parametersOffset(c), InitChunk.parametersLength(initAck, c),
            Parameter.STATE_COOKIE);
        int clen = Parameter.length(initAck, cookie) - 4;
        byte[] echo = new byte[4 + clen];
        CookieEchoChunk.write(echo, 0, initAck, cookie + 4, clen);
        inject(Hex.of(echo, 0, echo.length));
        assertTrue(endpoint.isConnected());
    }

    /** A DATA chunk with the next TSN. */
    void data(int flags, int sid, int ssn, int ppid, byte[] payload) {
        data(tsn++, flags, sid, ssn, ppid, payload);
    }

    void data(int tsn, int flags, int sid, int ssn, int ppid, byte[] payload) {
        byte[] chunk = new byte[16 + payload.length + 3];
        int n = DataChunk.write(chunk, 0, flags, tsn, sid, ssn, ppid, payload, 0, payload.length);
        inject(Hex.of(chunk, 0, n));
    }

    /** Whether the endpoint sent a packet with this chunk type since the last call. */
    boolean sentSince(int mark, int type) {
        for (int i = mark; i < received.size(); i++) {
            ChunkIterator it = new ChunkIterator().reset(received.get(i), 0, received.get(i).length);
            while (it.next()) {
                if (it.type() == type) {
                    return true;
                }
            }
        }
        return false;
    }
}
