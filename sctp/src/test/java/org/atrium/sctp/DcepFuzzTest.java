package org.atrium.sctp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for DCEP: any bytes as the payload of a PPID 50 message. Without JAZZER_FUZZ it runs
 * {@code DcepFuzzTestInputs/message/}. The contract: nothing throws, accessors read inside the
 * message, and an OPEN that parses and whose label and protocol are valid UTF-8 is written back
 * to the same bytes up to its declared end.
 */
class DcepFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void message(byte[] input) {
        int len = input.length;
        DcepMessage.isAck(input, 0, len);
        if (!DcepMessage.isOpen(input, 0, len)) {
            return;
        }
        String label = DcepMessage.label(input, 0);
        String protocol = DcepMessage.protocol(input, 0);
        ChannelOptions options = DcepMessage.options(input, 0);
        assertTrue(label.length() <= DcepMessage.labelLength(input, 0));
        byte[] again = DcepMessage.open(label, protocol, options);
        int end = DcepMessage.OPEN_FIXED_LENGTH + DcepMessage.labelLength(input, 0) + DcepMessage.protocolLength(input, 0);
        boolean utf8 = again.length == end;
        if (utf8 && DcepMessage.reliabilityParameter(input, 0) <= Integer.MAX_VALUE
            && (DcepMessage.channelType(input, 0) & 0x7F) != DcepMessage.RELIABLE) {
            assertArrayEquals(java.util.Arrays.copyOf(input, end), again);
        }
    }
}
