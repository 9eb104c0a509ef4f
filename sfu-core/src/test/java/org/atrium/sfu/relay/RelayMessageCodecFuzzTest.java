package org.atrium.sfu.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the relay link's messages (see docs/fuzzing.md): any bytes to
 * {@link RelayMessageCodec#decode}. The contract: nothing throws; the result is a message or a
 * reason, never both; a message decoded encodes back to the same bytes, since the format has
 * one encoding per message.
 */
class RelayMessageCodecFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] message) {
        RelayMessageCodec.Decoded decoded = RelayMessageCodec.decode(message, 0, message.length);
        assertTrue(decoded.ok() == (decoded.error() == null));
        if (decoded.ok()) {
            assertArrayEquals(message, RelayMessageCodec.encode(decoded.message()));
        }
    }
}
