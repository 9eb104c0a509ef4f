package org.atrium.sctp.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.atrium.sctp.DataChannelEndpoint;
import org.atrium.sctp.DataChannelInfo;
import org.atrium.sctp.DataChannelListener;
import org.atrium.sctp.Hex;
import org.atrium.sctp.SctpConfig;
import org.junit.jupiter.api.Test;

/**
 * Chunks a real Chromium (156, dcSCTP) sent to the SFU in a browser test with 5 % loss,
 * taken from the DTLS plaintext on 2026-12-05, read field by field. The expected values
 * were decoded independently of these views (by hand, from RFC 9260, 3758 and 6525).
 * {@link CapturedPacketsTest} has the same packets as whole-packet rows.
 */
class ChromiumChunksTest {

    private static final int CHUNK = SctpPacket.HEADER_LENGTH;

    /** The length of the packet's first chunk, as the chunk iterator gives it to the views. */
    private static int firstChunkLength(byte[] p) {
        ChunkIterator chunks = new ChunkIterator().reset(p, 0, p.length);
        assertTrue(chunks.next());
        assertEquals(CHUNK, chunks.offset());
        return chunks.length();
    }

    @Test
    void init() {
        byte[] p = Hex.bytes("13881388 00000000 5a8a45a0 0100001e a48f7ded 00500000 ffffffff f50430e6 c0000004 80080006 82c00000");
        assertTrue(InitChunk.is(p, CHUNK, firstChunkLength(p), ChunkType.INIT));
        assertEquals(0xa48f7dedL, InitChunk.initiateTag(p, CHUNK) & 0xFFFFFFFFL);
        assertEquals(5_242_880, InitChunk.advertisedWindow(p, CHUNK), "a 5 MiB receive window");
        assertEquals(65535, InitChunk.outboundStreams(p, CHUNK));
        assertEquals(65535, InitChunk.inboundStreams(p, CHUNK));
        assertEquals(0xf50430e6L, InitChunk.initialTsn(p, CHUNK) & 0xFFFFFFFFL);
        // Supported Extensions lists FORWARD TSN and RE-CONFIG.
        int params = InitChunk.parametersOffset(CHUNK);
        int length = InitChunk.parametersLength(p, CHUNK);
        assertTrue(SupportedExtensions.lists(p, params, length, ChunkType.FORWARD_TSN));
        assertTrue(SupportedExtensions.lists(p, params, length, ChunkType.RE_CONFIG));
    }

    @Test
    void dataChannelOpenOnStreamZero() {
        byte[] p = Hex.bytes("13881388 7275234b d968c970 00030020 f50430e6 00000000 00000032 03000100 00000000 00040000 62756c6b");
        assertTrue(DataChunk.is(p, CHUNK, firstChunkLength(p)));
        assertEquals(0xf50430e6L, DataChunk.tsn(p, CHUNK) & 0xFFFFFFFFL, "the initial TSN");
        assertEquals(0, DataChunk.streamId(p, CHUNK), "the DTLS client's first channel: an even id");
        assertEquals(50, DataChunk.ppid(p, CHUNK), "DCEP");
        assertTrue(DataChunk.begin(p, CHUNK) && DataChunk.end(p, CHUNK) && !DataChunk.unordered(p, CHUNK));
        // DATA_CHANNEL_OPEN, reliable, priority 0, label "bulk", no protocol.
        int payload = DataChunk.payloadOffset(CHUNK);
        assertEquals(Hex.of(Hex.bytes("03 00 0100 00000000 0004 0000 62756c6b"), 0, 16), Hex.of(p, payload, 16));
    }

    @Test
    void unorderedStringWithTheImmediateBit() {
        byte[] p = Hex.bytes("13881388 7275234b 2007d640 000f0012 f5045804 00020000 00000033 75310000");
        assertTrue(DataChunk.is(p, CHUNK, firstChunkLength(p)));
        assertEquals(2, DataChunk.streamId(p, CHUNK));
        assertEquals(51, DataChunk.ppid(p, CHUNK), "WebRTC String");
        assertTrue(DataChunk.unordered(p, CHUNK));
        assertEquals(DataChunk.FLAG_IMMEDIATE, p[CHUNK + 1] & DataChunk.FLAG_IMMEDIATE, "I bit (RFC 7053)");
    }

    @Test
    void sackWithGapBlocksAndADuplicate() {
        byte[] p = Hex.bytes("13881388 a9956ec1 6ad836c8 0300004c 4b674f6c 0047f41b 000e0001 0002000c 000e0012 00140014 00160031 00330040 0042005b 005d0065 0067006a 006c007f 0081008c 008e00bb 00bd00cf 00d200d4 00d700db 4b674f64");
        assertTrue(SackChunk.is(p, CHUNK, firstChunkLength(p)));
        assertEquals(0x4b674f6cL, SackChunk.cumulativeTsnAck(p, CHUNK) & 0xFFFFFFFFL);
        assertEquals(4_715_547, SackChunk.advertisedWindow(p, CHUNK));
        int[][] gaps = {{2, 12}, {14, 18}, {20, 20}, {22, 49}, {51, 64}, {66, 91}, {93, 101}, {103, 106},
            {108, 127}, {129, 140}, {142, 187}, {189, 207}, {210, 212}, {215, 219}};
        assertEquals(gaps.length, SackChunk.gapCount(p, CHUNK));
        for (int i = 0; i < gaps.length; i++) {
            assertEquals(gaps[i][0], SackChunk.gapStart(p, CHUNK, i), "gap " + i);
            assertEquals(gaps[i][1], SackChunk.gapEnd(p, CHUNK, i), "gap " + i);
        }
        assertEquals(1, SackChunk.duplicateCount(p, CHUNK));
        assertEquals(0x4b674f64L, SackChunk.duplicateTsn(p, CHUNK, 0) & 0xFFFFFFFFL);
    }

    @Test
    void sackWithDuplicatesOnly() {
        byte[] p = Hex.bytes("13881388 a9956ec1 0501c31f 0300002c 4b675168 00480000 00000007 4b674fec 4b674ff9 4b675028 4b67503c 4b67503d 4b675041 4b675042");
        assertTrue(SackChunk.is(p, CHUNK, firstChunkLength(p)));
        assertEquals(0, SackChunk.gapCount(p, CHUNK));
        assertEquals(7, SackChunk.duplicateCount(p, CHUNK));
        assertEquals(0x4b675042L, SackChunk.duplicateTsn(p, CHUNK, 6) & 0xFFFFFFFFL);
    }

    @Test
    void forwardTsnAfterAbandonedUnreliableMessages() {
        byte[] p = Hex.bytes("13881388 7275234b 217ee7b8 c0000008 f504580b");
        assertTrue(ForwardTsnChunk.is(p, CHUNK, firstChunkLength(p)));
        assertEquals(0xf504580bL, ForwardTsnChunk.newCumulativeTsn(p, CHUNK) & 0xFFFFFFFFL);
        assertEquals(0, ForwardTsnChunk.streamCount(p, CHUNK), "unordered messages: no stream/SSN pairs");
    }

    @Test
    void reConfigResettingAClosedChannelsStream() {
        byte[] p = Hex.bytes("13881388 7275234b a7cb8b5c 82000016 000d0012 f50430e6 f50430e6 f504592e 00020000");
        assertTrue(ReConfigChunk.is(p, CHUNK, firstChunkLength(p)));
        int param = ReConfigChunk.parametersOffset(CHUNK);
        int length = ReConfigChunk.parametersLength(p, CHUNK);
        assertTrue(OutgoingSsnResetRequest.is(p, param, length));
        assertEquals(0xf50430e6L, OutgoingSsnResetRequest.requestSequence(p, param) & 0xFFFFFFFFL);
        assertEquals(0xf504592eL, OutgoingSsnResetRequest.senderLastAssignedTsn(p, param) & 0xFFFFFFFFL);
        assertEquals(1, OutgoingSsnResetRequest.streamCount(p, param));
        assertEquals(2, OutgoingSsnResetRequest.streamId(p, param, 0));
    }

    @Test
    void aListeningEndpointAnswersChromiumsInitWithAnInitAck() {
        List<byte[]> sent = new ArrayList<>();
        DataChannelEndpoint endpoint = new DataChannelEndpoint(SctpConfig.DEFAULTS, false, new DataChannelListener() {
            @Override
            public void sendPacket(byte[] packet, int offset, int length) {
                sent.add(java.util.Arrays.copyOfRange(packet, offset, offset + length));
            }

            @Override
            public void onChannelOpen(DataChannelInfo channel, boolean openedByPeer) {
            }

            @Override
            public void onMessage(int streamId, boolean binary, byte[] message) {
            }

            @Override
            public void onChannelClosed(int streamId) {
            }

            @Override
            public void onClosed(String reason) {
            }
        }, new SplittableRandom(7));
        byte[] init = Hex.bytes("13881388 00000000 5a8a45a0 0100001e a48f7ded 00500000 ffffffff f50430e6 c0000004 80080006 82c00000");
        endpoint.receive(init, 0, init.length, 1000);
        assertEquals(1, sent.size(), "one reply");
        byte[] reply = sent.get(0);
        assertTrue(SctpPacket.checksumValid(reply, 0, reply.length));
        assertEquals(0xa48f7dedL, SctpPacket.verificationTag(reply, 0) & 0xFFFFFFFFL,
                "tagged with Chromium's initiate tag");
        assertEquals(ChunkType.INIT_ACK, reply[CHUNK] & 0xFF);
        assertEquals(0, endpoint.stats().totalDrops());
    }
}
