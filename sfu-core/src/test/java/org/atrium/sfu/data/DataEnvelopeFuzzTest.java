package org.atrium.sfu.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzz target for the data-channel envelope a client sends (see docs/fuzzing.md): any bytes
 * to {@link DataEnvelope#read}. The contract: nothing throws; an envelope read has its payload
 * inside the message, ids of 1-64 bytes, and written again from what was read gives back the
 * message (for ids that are valid UTF-8, which is what a round trip can keep); the envelope
 * the SFU sends on from it names the sender and keeps the payload.
 */
class DataEnvelopeFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void read(byte[] message) {
        DataEnvelope.Incoming read = DataEnvelope.read(message);
        if (read == null) {
            return;
        }
        assertTrue(read.payloadOffset() >= 2 && read.payloadOffset() <= message.length);
        byte[] payload = Arrays.copyOfRange(message, read.payloadOffset(), message.length);
        boolean utf8 = read.targets().stream().allMatch(id -> {
            byte[] bytes = id.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return bytes.length >= 1 && bytes.length <= DataEnvelope.MAX_ID_LENGTH;
        });
        if (utf8 && payloadOffsetMatches(read)) {
            assertArrayEquals(message, DataEnvelope.toTargets(read.text(), read.targets(), payload));
        }
        byte[] out = DataEnvelope.fromSender(read.flags(), "p0123abcd", message, read.payloadOffset(),
                message.length - read.payloadOffset());
        assertEquals("p0123abcd", DataEnvelope.sender(out));
        assertArrayEquals(payload, Arrays.copyOfRange(out, 3 + 9, out.length));
    }

    /** Whether re-encoding the ids gives the same lengths (ids that are not valid UTF-8 do not). */
    private static boolean payloadOffsetMatches(DataEnvelope.Incoming read) {
        int at = 2;
        for (String id : read.targets()) {
            at += 1 + id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
        return at == read.payloadOffset();
    }
}
