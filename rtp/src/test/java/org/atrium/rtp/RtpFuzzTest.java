package org.atrium.rtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.atrium.rtp.codec.AudioLevel;
import org.atrium.rtp.codec.H264Payload;
import org.atrium.rtp.codec.Vp8PayloadDescriptor;

/**
 * Fuzz targets for the RTP views, the header extension rewrite and the codec payload readers.
 * Without JAZZER_FUZZ they run the committed inputs in {@code RtpFuzzTestInputs/<method>/} (see
 * docs/fuzzing.md). The contract: a parser returns an error code and never throws, every accessor
 * of an accepted packet stays inside it, and a rewritten packet is valid and keeps its payload.
 */
class RtpFuzzTest {
    /** Largest packet looked at: an MTU and then some, so inputs stay small. */
    private static final int MAX_INPUT = 2048;
    /** The packet sits at this offset, so a parser that mixes absolute and relative indices fails. */
    private static final int OFF = 5;

    /** Keeps every id as it is. */
    private static final byte[] IDENTITY = new byte[256];
    /** Drops some ids, keeps some and moves one past 14, which forces the two-byte form. */
    private static final byte[] REMAP = {0, 3, 0, (byte) 200, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 15};

    static {
        for (int i = 0; i < IDENTITY.length; i++) {
            IDENTITY[i] = (byte) i;
        }
    }

    @FuzzTest(maxDuration = "60s")
    void rtpPacket(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        byte[] b = placed(input);
        int len = input.length;
        assertRemapInPlaceStaysInside(input);
        PacketError error = RtpPacket.validate(b, OFF, len);
        if (error != null) {
            return;
        }
        int header = RtpPacket.headerLength(b, OFF, len);
        int payloadOffset = RtpPacket.payloadOffset(b, OFF, len);
        int payloadLength = RtpPacket.payloadLength(b, OFF, len);
        int padding = RtpPacket.paddingLength(b, OFF, len);
        assertTrue(payloadLength >= 0, "payload length is never negative");
        assertEquals(len, header + payloadLength + padding, "header, payload and padding fill the packet");
        assertEquals(OFF + header, payloadOffset);
        for (int i = 0; i < RtpPacket.csrcCount(b, OFF); i++) {
            RtpPacket.csrc(b, OFF, i);
        }

        for (int id = 0; id <= 256; id++) {
            long found = HeaderExtensions.find(b, OFF, len, id);
            if (found != -1) {
                int dataOffset = HeaderExtensions.dataOffset(found);
                int dataLength = HeaderExtensions.dataLength(found);
                assertTrue(dataOffset >= OFF + RtpPacket.FIXED_HEADER_LENGTH && dataOffset + dataLength <= payloadOffset,
                    "an element lies inside the extension block");
                if (dataLength > 0) {
                    AudioLevel.level(b[dataOffset]);
                    AudioLevel.voiceActivity(b[dataOffset]);
                }
            }
            TransportCcExtension.sequence(b, OFF, len, id);
        }

        readCodecPayloads(b, payloadOffset, payloadLength);
        assertRewriteKeepsPacket(b, len, IDENTITY, true);
        assertRewriteKeepsPacket(b, len, REMAP, false);

        byte[] rtx = new byte[len + Rtx.OSN_LENGTH];
        int rtxLength = Rtx.wrap(b, OFF, len, rtx, 0, 0x55667788L, 97, 7);
        assertEquals(len - padding + Rtx.OSN_LENGTH, rtxLength, "a valid packet always wraps");
        int restored = Rtx.unwrap(rtx, 0, rtxLength, RtpPacket.ssrc(b, OFF), RtpPacket.payloadType(b, OFF));
        assertEquals(len - padding, restored, "RTX unwraps what it wrapped");
        assertArrayEquals(Arrays.copyOfRange(b, payloadOffset, payloadOffset + payloadLength),
            Arrays.copyOfRange(rtx, header, header + payloadLength), "RTX keeps the payload");
    }

    /** The first 16 bytes are the id map, the rest the packet. */
    @FuzzTest(maxDuration = "60s")
    void extensionRewrite(byte[] input) {
        if (input.length < 16 || input.length > MAX_INPUT) {
            return;
        }
        byte[] idMap = Arrays.copyOf(input, 16);
        byte[] packet = Arrays.copyOfRange(input, 16, input.length);
        byte[] b = placed(packet);
        if (RtpPacket.validate(b, OFF, packet.length) != null) {
            assertEquals(-1, HeaderExtensions.find(b, 0, 0, 1), "nothing is found in an empty range");
            return;
        }
        assertRewriteKeepsPacket(b, packet.length, idMap, false);
    }

    /** Codec readers are called on the payload of any valid packet, whatever its payload type. */
    @FuzzTest(maxDuration = "60s")
    void codecPayloads(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        readCodecPayloads(placed(input), OFF, input.length);
    }

    private static void readCodecPayloads(byte[] b, int off, int len) {
        int descriptor = Vp8PayloadDescriptor.length(b, off, len);
        assertTrue(descriptor == -1 || (descriptor >= 1 && descriptor <= len), "descriptor inside the payload");
        int pictureId = Vp8PayloadDescriptor.pictureId(b, off, len);
        assertTrue(pictureId >= -1 && pictureId <= 0x7FFF);
        int tl0 = Vp8PayloadDescriptor.tl0PicIdx(b, off, len);
        assertTrue(tl0 >= -1 && tl0 <= 0xFF);
        int tid = Vp8PayloadDescriptor.temporalLayer(b, off, len);
        assertTrue(tid >= -1 && tid <= 3);
        boolean vp8Key = Vp8PayloadDescriptor.isKeyframe(b, off, len);
        if (descriptor > 0) {
            Vp8PayloadDescriptor.isStartOfPartition(b, off);
            Vp8PayloadDescriptor.isNonReference(b, off);
            Vp8PayloadDescriptor.partitionIndex(b, off);
            if (pictureId >= 0) {
                Vp8PayloadDescriptor.hasLongPictureId(b, off);
            }
        } else {
            assertTrue(!vp8Key, "no keyframe without a descriptor");
        }
        H264Payload.isKeyframe(b, off, len);
        if (len > 0) {
            H264Payload.nalType(b, off);
        }
    }

    /**
     * Copies the valid packet at {@code b[OFF, OFF + len)} with {@code idMap} into a buffer of
     * exactly the reported size and checks the copy: valid, same fixed header fields, same payload
     * and padding, and with an identity map the same data under every id.
     */
    private static void assertRewriteKeepsPacket(byte[] b, int len, byte[] idMap, boolean identity) {
        byte[] big = new byte[len + 4 + 2 * 256 + 8];
        int written = HeaderExtensions.copyWithExtensions(b, OFF, len, big, 1, idMap);
        assertTrue(written > 0, "a valid packet fits a buffer with room for the largest block");
        byte[] dst = new byte[written];
        assertEquals(written, HeaderExtensions.copyWithExtensions(b, OFF, len, dst, 0, idMap));
        assertEquals(-1, HeaderExtensions.copyWithExtensions(b, OFF, len, new byte[written - 1], 0, idMap),
            "a buffer one byte short is refused");
        assertArrayEquals(Arrays.copyOfRange(big, 1, 1 + written), dst, "the copy does not depend on its offset");

        assertNull(RtpPacket.validate(dst, 0, written), "the copy of a valid packet is valid");
        assertEquals(RtpPacket.sequenceNumber(b, OFF), RtpPacket.sequenceNumber(dst, 0));
        assertEquals(RtpPacket.timestamp(b, OFF), RtpPacket.timestamp(dst, 0));
        assertEquals(RtpPacket.ssrc(b, OFF), RtpPacket.ssrc(dst, 0));
        assertEquals(RtpPacket.payloadType(b, OFF), RtpPacket.payloadType(dst, 0));
        assertEquals(RtpPacket.marker(b, OFF), RtpPacket.marker(dst, 0));
        assertEquals(RtpPacket.csrcCount(b, OFF), RtpPacket.csrcCount(dst, 0));
        int payloadOffset = RtpPacket.payloadOffset(b, OFF, len);
        int payloadLength = RtpPacket.payloadLength(b, OFF, len);
        assertEquals(payloadLength, RtpPacket.payloadLength(dst, 0, written));
        assertEquals(RtpPacket.paddingLength(b, OFF, len), RtpPacket.paddingLength(dst, 0, written));
        int dstPayload = RtpPacket.payloadOffset(dst, 0, written);
        assertArrayEquals(Arrays.copyOfRange(b, payloadOffset, OFF + len), Arrays.copyOfRange(dst, dstPayload, written),
            "payload and padding are copied unchanged");
        if (RtpPacket.hasExtension(dst, 0)) {
            assertTrue(HeaderExtensions.isRfc8285(RtpPacket.extensionProfile(dst, 0, written)),
                "a rewritten block is in an RFC 8285 form");
        }
        if (identity && HeaderExtensions.isRfc8285(RtpPacket.extensionProfile(b, OFF, len))) {
            for (int id = 1; id < 256; id++) {
                long before = HeaderExtensions.find(b, OFF, len, id);
                long after = HeaderExtensions.find(dst, 0, written, id);
                assertEquals(before == -1, after == -1, "id " + id + " kept exactly when present");
                if (before != -1) {
                    int from = HeaderExtensions.dataOffset(before);
                    int to = HeaderExtensions.dataOffset(after);
                    assertArrayEquals(Arrays.copyOfRange(b, from, from + HeaderExtensions.dataLength(before)),
                        Arrays.copyOfRange(dst, to, to + HeaderExtensions.dataLength(after)), "id " + id + " data");
                }
            }
        }
    }

    /** {@code input} at {@link #OFF} in a buffer that ends where it ends. */
    /**
     * The in-place id rewrite, on any input, validated or not: returns a code, writes only inside
     * the packet, and leaves a valid packet valid with the same payload.
     */
    private static void assertRemapInPlaceStaysInside(byte[] input) {
        byte[] b = new byte[OFF + input.length + OFF];
        Arrays.fill(b, (byte) 0xEE);
        System.arraycopy(input, 0, b, OFF, input.length);
        byte[] before = b.clone();
        HeaderExtensions.remapIds(b, OFF, input.length, REMAP);
        for (int i = 0; i < OFF; i++) {
            assertEquals(before[i], b[i], "wrote before the packet");
            assertEquals(before[OFF + input.length + i], b[OFF + input.length + i], "wrote after the packet");
        }
        if (RtpPacket.validate(before, OFF, input.length) == null) {
            assertNull(RtpPacket.validate(b, OFF, input.length), "a valid packet stays valid");
            int payload = RtpPacket.payloadOffset(before, OFF, input.length);
            assertArrayEquals(Arrays.copyOfRange(before, payload, OFF + input.length),
                    Arrays.copyOfRange(b, payload, OFF + input.length), "the payload is not touched");
        }
    }

    private static byte[] placed(byte[] input) {
        byte[] b = new byte[OFF + input.length];
        Arrays.fill(b, 0, OFF, (byte) 0xEE);
        System.arraycopy(input, 0, b, OFF, input.length);
        return b;
    }
}
