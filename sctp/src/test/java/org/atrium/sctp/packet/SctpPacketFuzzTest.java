package org.atrium.sctp.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzz target for the packet layer: any bytes as one SCTP packet. Without JAZZER_FUZZ it runs the
 * committed inputs in {@code SctpPacketFuzzTestInputs/packet/} (real packets from the codec tables
 * and from in-memory associations). The contract: nothing throws, the chunks the iterator yields
 * follow each other inside the packet, and every view reads only inside its chunk (each chunk is
 * copied into an array of its own length, so a read past it throws).
 */
class SctpPacketFuzzTest {
    private static final int MAX_INPUT = 65535;

    private final ChunkIterator chunks = new ChunkIterator();

    @FuzzTest(maxDuration = "60s")
    void packet(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        int len = input.length;
        if (!SctpPacket.is(input, 0, len)) {
            assertTrue(len < SctpPacket.HEADER_LENGTH);
            return;
        }
        SctpPacket.sourcePort(input, 0);
        SctpPacket.destinationPort(input, 0);
        SctpPacket.verificationTag(input, 0);
        SctpPacket.checksumValid(input, 0, len);
        int expected = SctpPacket.HEADER_LENGTH;
        chunks.reset(input, 0, len);
        int count = 0;
        while (chunks.next()) {
            int off = chunks.offset();
            int clen = chunks.length();
            assertEquals(expected, off, "chunks follow each other");
            assertTrue(clen >= Chunk.HEADER_LENGTH && off + clen <= len, "chunk inside the packet");
            expected = Math.min(off + Bytes.pad4(clen), len);
            ChunkViews.read(Arrays.copyOfRange(input, off, off + clen), 0, clen);
            count++;
        }
        assertEquals(count > 0 && !chunks.malformed(), ChunkIterator.count(input, 0, len) > 0);
        // The same bytes sealed must then pass the checksum.
        byte[] sealed = input.clone();
        SctpPacket.seal(sealed, 0, len);
        assertTrue(SctpPacket.checksumValid(sealed, 0, len));
    }
}
