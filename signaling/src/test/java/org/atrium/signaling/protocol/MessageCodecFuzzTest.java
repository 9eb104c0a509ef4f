package org.atrium.signaling.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Fuzz target for the client messages of docs/signaling.md: a WebSocket text frame as UTF-8.
 * Without JAZZER_FUZZ it runs the committed inputs in {@code MessageCodecFuzzTestInputs/parse/}
 * (see docs/fuzzing.md).
 *
 * <p>The contract: a {@link ClientMessage} whose fields were checked, or a
 * {@link ProtocolException} with one of the error codes the protocol documents; nothing else.
 */
class MessageCodecFuzzTest {
    /** Larger than any real message (an answer is a few kB) yet bounded. */
    private static final int MAX_INPUT = 16 * 1024;
    private static final Set<String> CODES = Set.of("bad-json", "unknown-type", "bad-request");

    private final MessageCodec codec = new MessageCodec();

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] input) {
        if (input.length > MAX_INPUT) {
            return;
        }
        ClientMessage message;
        try {
            message = codec.parse(new String(input, StandardCharsets.UTF_8));
        } catch (ProtocolException refused) {
            assertTrue(CODES.contains(refused.code()), "documented error code: " + refused.code());
            return;
        }
        assertNotNull(message);
        if (message instanceof ClientMessage.Join join) {
            assertTrue(MessageCodec.ROOM_NAME.matcher(join.room()).matches(), "room name checked");
            assertFalse(join.name().isBlank(), "a name is never blank");
            assertTrue(join.name().codePointCount(0, join.name().length()) <= MessageCodec.MAX_NAME_LENGTH);
        } else if (message instanceof ClientMessage.Answer answer) {
            assertNotNull(answer.sdp());
        } else if (message instanceof ClientMessage.Candidate candidate) {
            assertTrue(candidate.candidate() == null || !candidate.candidate().isBlank(), "blank means end of candidates");
        }
    }
}
