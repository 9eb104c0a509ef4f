package org.atrium.sfu.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The data-channel envelope, on the bytes of docs/signaling.md and on broken ones. */
class DataEnvelopeTest {

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }

    @Test
    void theDocumentsExampleFromAClient() {
        // p1a2b3c4d sends the text "hi" to p5e6f7a8b alone.
        byte[] message = hex("01 01 09 7035653666376138 62 6869");
        DataEnvelope.Incoming read = DataEnvelope.read(message);
        assertEquals(List.of("p5e6f7a8b"), read.targets());
        assertTrue(read.text());
        assertEquals(12, read.payloadOffset());
        assertArrayEquals(message, DataEnvelope.toTargets(true, List.of("p5e6f7a8b"), "hi".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theDocumentsExampleToTheReceiver() {
        byte[] payload = "xxhi".getBytes(StandardCharsets.UTF_8);
        byte[] out = DataEnvelope.fromSender(DataEnvelope.FLAG_TEXT, "p1a2b3c4d", payload, 2, 2);
        assertEquals("0101097031613262336334646869", HexFormat.of().formatHex(out));
        assertEquals("p1a2b3c4d", DataEnvelope.sender(out));
    }

    @Test
    void noTargetsIsTheWholeRoomAndAnEmptyPayloadIsAllowed() {
        DataEnvelope.Incoming read = DataEnvelope.read(hex("00 00"));
        assertEquals(List.of(), read.targets());
        assertEquals(2, read.payloadOffset());
        assertEquals(false, read.text());
    }

    @Test
    void twoTargets() {
        DataEnvelope.Incoming read = DataEnvelope.read(hex("00 02 01 61 02 6263 ff"));
        assertEquals(List.of("a", "bc"), read.targets());
        assertEquals(7, read.payloadOffset());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "empty,                          ''",
        "one byte,                       00",
        "reserved flag bit,              02 00",
        "flags 0x80,                     80 00",
        "a target count past the end,    00 01",
        "an id length past the end,      00 01 05 6162",
        "an id of length 0,              00 01 00",
        "an id longer than 64 bytes,     00 01 41 " + "61616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161616161" + "6161",
    })
    void notAnEnvelope(String what, String bytes) {
        assertNull(DataEnvelope.read(hex(bytes)), what);
    }

    @Test
    void idsAreBoundedWhenWriting() {
        assertThrows(IllegalArgumentException.class,
                () -> DataEnvelope.fromSender(0, "x".repeat(65), new byte[0], 0, 0));
        assertThrows(IllegalArgumentException.class, () -> DataEnvelope.toTargets(false, List.of(""), new byte[0]));
    }
}
