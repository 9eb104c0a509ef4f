package org.atrium.sfu.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.relay.RelayMessage.Bye;
import org.atrium.sfu.relay.RelayMessage.Channel;
import org.atrium.sfu.relay.RelayMessage.Data;
import org.atrium.sfu.relay.RelayMessage.Hello;
import org.atrium.sfu.relay.RelayMessage.LayerDemand;
import org.atrium.sfu.relay.RelayMessage.MemberJoined;
import org.atrium.sfu.relay.RelayMessage.MemberLeft;
import org.atrium.sfu.relay.RelayMessage.Muted;
import org.atrium.sfu.relay.RelayMessage.RoomClosed;
import org.atrium.sfu.relay.RelayMessage.RoomOpen;
import org.atrium.sfu.relay.RelayMessage.RoomScoped;
import org.atrium.sfu.relay.RelayMessage.TrackClosed;
import org.atrium.sfu.relay.RelayMessage.TrackPublished;
import org.atrium.sfu.relay.RelayMessage.TrackPublished.Layer;
import org.atrium.sfu.relay.RelayMessageCodec.Decoded;
import org.atrium.sfu.room.TrackSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The relay link's messages, on bytes written out from the format in RelayMessageCodec's Javadoc, and on broken ones. */
class RelayMessageCodecTest {

    private static final Channel CHAT = new Channel("chat", "", true, -1, -1);

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", "").replace("|", ""));
    }

    private static Decoded decode(byte[] message) {
        return RelayMessageCodec.decode(message, 0, message.length);
    }

    private static String repeat(String hexByte, int times) {
        return hexByte.repeat(times);
    }

    /** Each message type, its bytes field by field; "0001 72" is the room "r". */
    static Stream<Arguments> messages() {
        return Stream.of(
                valid("hello", "01 | 01 | 06 6e6f64652d61",
                        new Hello(1, "node-a")),
                valid("room open", "0a | 0005 6c6f626279",
                        new RoomOpen("lobby")),
                valid("room closed", "0b | 0005 6c6f626279",
                        new RoomClosed("lobby")),
                valid("room open, a UTF-8 room", "0a | 0006 e4bc9ae8aeae",
                        new RoomOpen("\u4f1a\u8bae")),
                valid("member joined, a name and no identity",
                        "02 | 0001 72 | 09 703161326233633464 | 0003 416461 | 0000",
                        new MemberJoined("r", "p1a2b3c4d", "Ada", null)),
                valid("member joined, no name and a UTF-8 identity, in a UTF-8 room",
                        "02 | 0002 c3a9 | 02 7031 | 0000 | 0002 c3a9",
                        new MemberJoined("\u00e9", "p1", null, "\u00e9")),
                valid("member left", "03 | 0001 72 | 09 703161326233633464 | 07 74696d656f7574",
                        new MemberLeft("r", "p1a2b3c4d", "timeout")),
                valid("track published, audio, one layer without rid or RTX",
                        "04 | 0001 72 | 02 7031 | 04 70312d30 | 01 30 | 01 | 01 | 00 | 01 | 00 00 11223344",
                        new TrackPublished("r", "p1", "p1-0", "0", MediaKind.AUDIO, TrackSource.MICROPHONE, false,
                                List.of(new Layer(null, 0x11223344L, -1)))),
                valid("track published, muted camera, three layers",
                        "04 | 0001 72 | 02 7031 | 04 70312d31 | 01 31 | 02 | 02 | 01 | 03"
                                + " | 01 71 01 01020304 05060708 | 01 68 00 aabbccdd | 01 66 01 ffffffff 00000000",
                        new TrackPublished("r", "p1", "p1-1", "1", MediaKind.VIDEO, TrackSource.CAMERA, true, List.of(
                                new Layer("q", 0x01020304L, 0x05060708L),
                                new Layer("h", 0xAABBCCDDL, -1),
                                new Layer("f", 0xFFFFFFFFL, 0)))),
                valid("track published, video of no source, RTX",
                        "04 | 0001 72 | 02 7031 | 04 70312d32 | 01 32 | 02 | 00 | 00 | 01 | 00 01 00000001 00000002",
                        new TrackPublished("r", "p1", "p1-2", "2", MediaKind.VIDEO, null, false,
                                List.of(new Layer(null, 1, 2)))),
                valid("track published, screen audio",
                        "04 | 0001 72 | 02 7031 | 01 61 | 01 33 | 01 | 04 | 00 | 01 | 00 00 00000000",
                        new TrackPublished("r", "p1", "a", "3", MediaKind.AUDIO, TrackSource.SCREEN_AUDIO, false,
                                List.of(new Layer(null, 0, -1)))),
                valid("track published, screen",
                        "04 | 0001 72 | 02 7031 | 01 61 | 01 34 | 02 | 03 | 00 | 01 | 00 00 00000000",
                        new TrackPublished("r", "p1", "a", "4", MediaKind.VIDEO, TrackSource.SCREEN, false,
                                List.of(new Layer(null, 0, -1)))),
                valid("track closed", "05 | 0001 72 | 04 70312d30",
                        new TrackClosed("r", "p1-0")),
                valid("muted, screen audio", "06 | 0001 72 | 02 7031 | 04 | 01",
                        new Muted("r", "p1", TrackSource.SCREEN_AUDIO, true)),
                valid("unmuted, camera", "06 | 0001 72 | 02 7031 | 02 | 00",
                        new Muted("r", "p1", TrackSource.CAMERA, false)),
                valid("layer demand, layers 0 and 2", "07 | 0001 72 | 04 70312d31 | 05",
                        new LayerDemand("r", "p1-1", 0b101)),
                valid("layer demand, none", "07 | 0001 72 | 04 70312d31 | 00",
                        new LayerDemand("r", "p1-1", 0)),
                valid("data, text to two on a reliable channel 'chat'",
                        "08 | 0001 72 | 01 | 0004 63686174 | 0000 | 02 7031 | 02 | 02 7032 | 02 7033 | 00000002 | 6869",
                        new Data("r", CHAT, "p1", List.of("p2", "p3"), true, new byte[] {'h', 'i'})),
                valid("data, empty binary to everyone on an unordered channel of 0 retransmits",
                        "08 | 0001 72 | 06 | 0000 | 0003 6a736f | 0000 | 02 7031 | 00 | 00000000",
                        new Data("r", new Channel("", "jso", false, 0, -1), "p1", List.of(), false, new byte[0])),
                valid("data on a channel of a 500 ms life time",
                        "08 | 0001 72 | 08 | 0001 78 | 0000 | 01f4 | 02 7031 | 00 | 00000001 | 2a",
                        new Data("r", new Channel("x", "", true, -1, 500), "p1", List.of(), false, new byte[] {42})),
                valid("bye", "09 | 08 73687574646f776e",
                        new Bye("shutdown")));
    }

    private static Arguments valid(String name, String bytes, RelayMessage message) {
        return Arguments.of(named(name, hex(bytes)), message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void decodesToTheRecordAndEncodesToTheSameBytes(byte[] bytes, RelayMessage message) {
        Decoded decoded = decode(bytes);
        assertNull(decoded.error());
        assertTrue(decoded.ok());
        assertEquals(message, decoded.message());
        assertArrayEquals(bytes, RelayMessageCodec.encode(message));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void everyTruncationIsTruncated(byte[] bytes) {
        for (int length = 0; length < bytes.length; length++) {
            assertEquals(RelayMessageError.TRUNCATED, RelayMessageCodec.decode(bytes, 0, length).error(),
                    "first " + length + " bytes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void aTrailingByteIsRefused(byte[] bytes) {
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        Decoded decoded = decode(longer);
        assertEquals(RelayMessageError.TRAILING_BYTES, decoded.error());
        assertNull(decoded.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void readsInsideALargerBuffer(byte[] bytes, RelayMessage message) {
        byte[] buf = new byte[bytes.length + 7];
        Arrays.fill(buf, (byte) 0xEE);
        System.arraycopy(bytes, 0, buf, 3, bytes.length);
        assertEquals(message, RelayMessageCodec.decode(buf, 3, bytes.length).message());
    }

    /** The room is the field right after the type byte: a receiver can route by it alone. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void roomScopedMessagesNameTheirRoomFirst(byte[] bytes, RelayMessage message) {
        if (message instanceof Hello || message instanceof Bye) {
            assertFalse(message instanceof RoomScoped);
            return;
        }
        RoomScoped scoped = assertInstanceOf(RoomScoped.class, message);
        int length = (bytes[1] & 0xFF) << 8 | bytes[2] & 0xFF;
        assertEquals(new String(bytes, 3, length, java.nio.charset.StandardCharsets.UTF_8), scoped.room());
    }

    @Test
    void everyUnknownTypeByte() {
        for (int type = 0; type < 256; type++) {
            if (type >= RelayMessageCodec.HELLO && type <= RelayMessageCodec.ROOM_CLOSED) {
                continue;
            }
            for (byte[] bytes : List.of(new byte[] {(byte) type}, new byte[] {(byte) type, 2, 'p', '1', 0, 0})) {
                assertEquals(RelayMessageError.UNKNOWN_TYPE, decode(bytes).error(), "type " + type);
            }
        }
    }

    private static final String AUDIO_TRACK_HEAD = "04 0001 72 02 7031 04 70312d30 01 30";
    private static final String ONE_LAYER = "00 00 11223344";

    static Stream<Arguments> malformed() {
        return Stream.of(
                bad("empty", "", RelayMessageError.TRUNCATED),
                bad("hello, version 0", "01 00 06 6e6f64652d61", RelayMessageError.BAD_VERSION),
                bad("hello, a space in the node id", "01 01 06 6e6f6465 20 61", RelayMessageError.BAD_TOKEN),
                bad("hello, a node id in UTF-8", "01 01 02 c3a9", RelayMessageError.BAD_TOKEN),
                bad("hello, a node id of 0 bytes", "01 01 00", RelayMessageError.BAD_LENGTH),
                bad("hello, a node id of 65 bytes", "01 01 41" + repeat("61", 65), RelayMessageError.BAD_LENGTH),
                bad("hello with the room it carried when a link was for one room",
                        "01 01 06 6e6f64652d61 0005 6c6f626279", RelayMessageError.TRAILING_BYTES),
                bad("room open, a room of 0 bytes", "0a 0000", RelayMessageError.BAD_LENGTH),
                bad("room open, a room of 257 bytes", "0a 0101" + repeat("72", 257), RelayMessageError.BAD_LENGTH),
                bad("room open, a room truncated", "0a 0005 6c6f62", RelayMessageError.TRUNCATED),
                bad("room open, half a room length", "0a 00", RelayMessageError.TRUNCATED),
                bad("room open, a room in broken UTF-8", "0a 0002 c328", RelayMessageError.BAD_UTF8),
                bad("room open, a trailing byte", "0a 0001 72 00", RelayMessageError.TRAILING_BYTES),
                bad("room closed, a room of 0 bytes", "0b 0000", RelayMessageError.BAD_LENGTH),
                bad("room closed, a room of 257 bytes", "0b 0101" + repeat("72", 257), RelayMessageError.BAD_LENGTH),
                bad("room closed, a room truncated", "0b 0005 6c6f", RelayMessageError.TRUNCATED),
                bad("room closed, a trailing byte", "0b 0001 72 72", RelayMessageError.TRAILING_BYTES),
                bad("member joined, a room of 0 bytes", "02 0000 02 7031 0000 0000", RelayMessageError.BAD_LENGTH),
                bad("member joined, a room of 257 bytes", "02 0101" + repeat("72", 257) + "02 7031 0000 0000",
                        RelayMessageError.BAD_LENGTH),
                bad("member joined, a room length past the end", "02 0006 72 02 7031",
                        RelayMessageError.TRUNCATED),
                bad("member joined, a participant id of 65 bytes", "02 0001 72 41" + repeat("61", 65) + "0000 0000",
                        RelayMessageError.BAD_LENGTH),
                bad("member joined, a participant id of 0 bytes", "02 0001 72 00 0000 0000",
                        RelayMessageError.BAD_LENGTH),
                bad("member joined, a lone continuation byte", "02 0001 72 02 7031 0001 80 0000",
                        RelayMessageError.BAD_UTF8),
                bad("member joined, a lead byte then ASCII", "02 0001 72 02 7031 0002 c328 0000",
                        RelayMessageError.BAD_UTF8),
                bad("member joined, an overlong '/'", "02 0001 72 02 7031 0002 c0af 0000", RelayMessageError.BAD_UTF8),
                bad("member joined, a UTF-8 surrogate", "02 0001 72 02 7031 0000 0003 eda080",
                        RelayMessageError.BAD_UTF8),
                bad("member joined, past U+10FFFF", "02 0001 72 02 7031 0000 0004 f4908080", RelayMessageError.BAD_UTF8),
                bad("member joined, a UTF-8 sequence cut by its length", "02 0001 72 02 7031 0001 c3 0000",
                        RelayMessageError.BAD_UTF8),
                bad("member joined, a display name of 513 bytes", "02 0001 72 02 7031 0201" + repeat("61", 513) + "0000",
                        RelayMessageError.BAD_LENGTH),
                bad("member left, a room of 0 bytes", "03 0000 02 7031 04 6c656674", RelayMessageError.BAD_LENGTH),
                bad("member left, a '/' in the reason", "03 0001 72 02 7031 03 612f62", RelayMessageError.BAD_TOKEN),
                bad("member left, no reason", "03 0001 72 02 7031 00", RelayMessageError.BAD_LENGTH),
                bad("track published, a room of 257 bytes", "04 0101" + repeat("72", 257)
                        + "02 7031 04 70312d30 01 30 01 01 00 01" + ONE_LAYER, RelayMessageError.BAD_LENGTH),
                bad("track published, producer id of 0 bytes", "04 0001 72 02 7031 00 01 30 01 01 00 01" + ONE_LAYER,
                        RelayMessageError.BAD_LENGTH),
                bad("track published, mid of 0 bytes", "04 0001 72 02 7031 04 70312d30 00 01 01 00 01" + ONE_LAYER,
                        RelayMessageError.BAD_LENGTH),
                bad("track published, kind 0", AUDIO_TRACK_HEAD + "00 01 00 01" + ONE_LAYER, RelayMessageError.UNKNOWN_KIND),
                bad("track published, kind 3", AUDIO_TRACK_HEAD + "03 01 00 01" + ONE_LAYER, RelayMessageError.UNKNOWN_KIND),
                bad("track published, source 5", AUDIO_TRACK_HEAD + "01 05 00 01" + ONE_LAYER, RelayMessageError.UNKNOWN_SOURCE),
                bad("track published, source 0xff", AUDIO_TRACK_HEAD + "01 ff 00 01" + ONE_LAYER,
                        RelayMessageError.UNKNOWN_SOURCE),
                bad("track published, an audio camera", AUDIO_TRACK_HEAD + "01 02 00 01" + ONE_LAYER,
                        RelayMessageError.SOURCE_KIND_MISMATCH),
                bad("track published, a video microphone", AUDIO_TRACK_HEAD + "02 01 00 01" + ONE_LAYER,
                        RelayMessageError.SOURCE_KIND_MISMATCH),
                bad("track published, flag 0x02", AUDIO_TRACK_HEAD + "01 01 02 01" + ONE_LAYER,
                        RelayMessageError.RESERVED_FLAGS),
                bad("track published, flag 0x80", AUDIO_TRACK_HEAD + "01 01 80 01" + ONE_LAYER,
                        RelayMessageError.RESERVED_FLAGS),
                bad("track published, 0 layers", AUDIO_TRACK_HEAD + "01 01 00 00", RelayMessageError.BAD_LAYER_COUNT),
                bad("track published, 4 layers", AUDIO_TRACK_HEAD + "01 01 00 04"
                        + "01 61 00 00000001 01 62 00 00000002 01 63 00 00000003 01 64 00 00000004",
                        RelayMessageError.BAD_LAYER_COUNT),
                bad("track published, layer flag 0x02", AUDIO_TRACK_HEAD + "01 01 00 01 00 02 11223344",
                        RelayMessageError.RESERVED_FLAGS),
                bad("track published, two layers, one without rid", AUDIO_TRACK_HEAD + "02 02 00 02"
                        + "01 71 00 00000001 00 00 00000002", RelayMessageError.BAD_LAYER_RIDS),
                bad("track published, two layers, no rids", AUDIO_TRACK_HEAD + "02 02 00 02"
                        + "00 00 00000001 00 00 00000002", RelayMessageError.BAD_LAYER_RIDS),
                bad("track published, two layers, one rid twice", AUDIO_TRACK_HEAD + "02 02 00 02"
                        + "01 71 00 00000001 01 71 00 00000002", RelayMessageError.BAD_LAYER_RIDS),
                bad("track closed, a room of 0 bytes", "05 0000 04 70312d30", RelayMessageError.BAD_LENGTH),
                bad("track closed, a room truncated", "05 0004 7231", RelayMessageError.TRUNCATED),
                bad("track closed, producer id of 0 bytes", "05 0001 72 00", RelayMessageError.BAD_LENGTH),
                bad("track closed, no room: the producer id's length is read as the room's", "05 04 70312d30",
                        RelayMessageError.BAD_LENGTH),
                bad("muted, a room of 257 bytes", "06 0101" + repeat("72", 257) + "02 7031 01 01",
                        RelayMessageError.BAD_LENGTH),
                bad("muted, source 0", "06 0001 72 02 7031 00 01", RelayMessageError.UNKNOWN_SOURCE),
                bad("muted, source 5", "06 0001 72 02 7031 05 01", RelayMessageError.UNKNOWN_SOURCE),
                bad("muted, flags 0x03", "06 0001 72 02 7031 01 03", RelayMessageError.RESERVED_FLAGS),
                bad("layer demand, a room of 0 bytes", "07 0000 04 70312d31 01", RelayMessageError.BAD_LENGTH),
                bad("layer demand, layer 3", "07 0001 72 04 70312d31 08", RelayMessageError.RESERVED_FLAGS),
                bad("layer demand, every bit", "07 0001 72 04 70312d31 ff", RelayMessageError.RESERVED_FLAGS),
                bad("data, a room of 0 bytes", "08 0000 00 0000 0000 02 7031 00 00000000",
                        RelayMessageError.BAD_LENGTH),
                bad("data, a room of 257 bytes", "08 0101" + repeat("72", 257) + "00 0000 0000 02 7031 00 00000000",
                        RelayMessageError.BAD_LENGTH),
                bad("data, a room truncated", "08 0002 72", RelayMessageError.TRUNCATED),
                bad("data, flag 0x10", "08 0001 72 10 0000 0000 02 7031 00 00000000", RelayMessageError.RESERVED_FLAGS),
                bad("data, limited by retransmissions and time", "08 0001 72 0c 0000 0000 0001 0001 02 7031 00 00000000",
                        RelayMessageError.RESERVED_FLAGS),
                bad("data, a label of 1025 bytes", "08 0001 72 00 0401" + repeat("6c", 1025) + "0000 02 7031 00 00000000",
                        RelayMessageError.BAD_LENGTH),
                bad("data, a sender of 65 bytes", "08 0001 72 00 0000 0000 41" + repeat("61", 65) + "00 00000000",
                        RelayMessageError.BAD_LENGTH),
                bad("data, a target of 0 bytes", "08 0001 72 00 0000 0000 02 7031 01 00 00000000",
                        RelayMessageError.BAD_LENGTH),
                bad("data, a target count past the end", "08 0001 72 00 0000 0000 02 7031 02 02 7032",
                        RelayMessageError.TRUNCATED),
                bad("data, a payload length past the end", "08 0001 72 00 0000 0000 02 7031 00 00000003 6869",
                        RelayMessageError.TRUNCATED),
                bad("data, a payload length over 256 KiB", "08 0001 72 00 0000 0000 02 7031 00 00040001 6869",
                        RelayMessageError.BAD_LENGTH),
                bad("data, a payload length short of the end", "08 0001 72 00 0000 0000 02 7031 00 00000001 6869",
                        RelayMessageError.TRAILING_BYTES),
                bad("bye, no reason", "09 00", RelayMessageError.BAD_LENGTH),
                bad("bye, a newline in the reason", "09 03 610a62", RelayMessageError.BAD_TOKEN),
                bad("bye, a reason of 65 bytes", "09 41" + repeat("61", 65), RelayMessageError.BAD_LENGTH));
    }

    private static Arguments bad(String name, String bytes, RelayMessageError error) {
        return Arguments.of(named(name, hex(bytes)), error);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusedWithItsReason(byte[] bytes, RelayMessageError error) {
        Decoded decoded = decode(bytes);
        assertEquals(error, decoded.error());
        assertNull(decoded.message());
    }

    @Test
    void boundsOutsideTheBuffer() {
        byte[] bye = hex("09 08 73687574646f776e");
        assertEquals(RelayMessageError.OUT_OF_BOUNDS, RelayMessageCodec.decode(null, 0, 0).error());
        assertEquals(RelayMessageError.OUT_OF_BOUNDS, RelayMessageCodec.decode(bye, -1, 2).error());
        assertEquals(RelayMessageError.OUT_OF_BOUNDS, RelayMessageCodec.decode(bye, 0, -1).error());
        assertEquals(RelayMessageError.OUT_OF_BOUNDS, RelayMessageCodec.decode(bye, 1, bye.length).error());
        assertEquals(RelayMessageError.OUT_OF_BOUNDS, RelayMessageCodec.decode(bye, 2, Integer.MAX_VALUE).error());
        assertEquals(RelayMessageError.TRUNCATED, RelayMessageCodec.decode(bye, bye.length, 0).error());
    }

    static Stream<Arguments> edges() {
        byte[] largest = new byte[RelayMessageCodec.MAX_PAYLOAD_BYTES];
        new Random(7).nextBytes(largest);
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < RelayMessageCodec.MAX_TARGETS; i++) {
            targets.add("p" + i);
        }
        String longestId = "\u00e9".repeat(32);
        String longestRoom = "r".repeat(256);
        String longestRoomOfTwoByteCharacters = "\u00e9".repeat(128);
        String token = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
        return Stream.of(
                Arguments.of(named("empty payload", new Data("r", CHAT, "p1", List.of(), true, new byte[0]))),
                Arguments.of(named("256 KiB payload in a 256-byte room",
                        new Data(longestRoom, CHAT, longestId, List.of(longestId), false, largest))),
                Arguments.of(named("255 targets", new Data("r", CHAT, "p1", targets, false, new byte[] {1}))),
                Arguments.of(named("a 1024-byte label and protocol, 65 535 retransmits",
                        new Data("r", new Channel("l".repeat(1024), "\u00e9".repeat(512), false, 65_535, -1), "p1",
                                List.of(), true, new byte[] {1}))),
                Arguments.of(named("a 256-byte room opened", new RoomOpen(longestRoom))),
                Arguments.of(named("a 256-byte room of 2-byte characters opened",
                        new RoomOpen(longestRoomOfTwoByteCharacters))),
                Arguments.of(named("a 256-byte room closed", new RoomClosed(longestRoom))),
                Arguments.of(named("a room of one 4-byte character closed", new RoomClosed("\ud83d\ude00"))),
                Arguments.of(named("64-byte participant ids of 2-byte characters, in a 256-byte room",
                        new MemberJoined(longestRoom, longestId, "\ud83d\ude00".repeat(128), "x".repeat(512)))),
                Arguments.of(named("null name and identity", new MemberJoined("r", "p1", null, null))),
                Arguments.of(named("empty-looking but present strings", new MemberJoined(" ", "p1", " ", "\u0000"))),
                Arguments.of(named("hello with the longest node id", new Hello(255, token.substring(0, 64)))),
                Arguments.of(named("every token character, in a 256-byte room",
                        new MemberLeft(longestRoomOfTwoByteCharacters, "p1", token.substring(0, 64)))),
                Arguments.of(named("bye with the last token characters", new Bye(token.substring(60)))),
                Arguments.of(named("three layers with rids, SSRC 0xFFFFFFFF, 255-byte ids, a 256-byte room",
                        new TrackPublished(longestRoom, longestId, "x".repeat(255), "m".repeat(255), MediaKind.VIDEO,
                                TrackSource.SCREEN, true, List.of(
                                        new Layer("r".repeat(255), 0xFFFFFFFFL, 0xFFFFFFFEL),
                                        new Layer("1", 0, 0xFFFFFFFFL),
                                        new Layer("2", 0xFFFFFFFFL, -1))))),
                Arguments.of(named("one layer with a rid", new TrackPublished("r", "p1", "p1-0", "0", MediaKind.VIDEO,
                        TrackSource.CAMERA, false, List.of(new Layer("h", 5, -1))))),
                Arguments.of(named("a track closed in a 256-byte room", new TrackClosed(longestRoom, "x".repeat(255)))),
                Arguments.of(named("muted in a 256-byte room",
                        new Muted(longestRoom, longestId, TrackSource.SCREEN, true))),
                Arguments.of(named("every layer, in a 256-byte room",
                        new LayerDemand(longestRoom, "x".repeat(255), 0b111))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edges")
    void edgeValuesRoundTrip(RelayMessage message) {
        byte[] bytes = RelayMessageCodec.encode(message);
        Decoded decoded = decode(bytes);
        assertEquals(message, decoded.message(), () -> String.valueOf(decoded.error()));
        assertArrayEquals(bytes, RelayMessageCodec.encode(decoded.message()));
    }

    @Test
    void theLargestDataMessageHasItsLengthField() {
        byte[] bytes = RelayMessageCodec.encode(new Data("r", CHAT, "p1", List.of(), false, new byte[256 * 1024]));
        // type, room "r", flags, label "chat", empty protocol, sender, no targets, u32 length 0x00040000
        assertEquals(1 + 3 + 1 + 6 + 2 + 3 + 1 + 4 + 256 * 1024, bytes.length);
        assertEquals(0x00, bytes[17] & 0xFF);
        assertEquals(0x04, bytes[18] & 0xFF);
        assertEquals(0x00, bytes[19] & 0xFF);
    }

    /** Each room-scoped message, in the given room. */
    private static List<RoomScoped> inRoom(String room) {
        return List.of(
                new RoomOpen(room),
                new RoomClosed(room),
                new MemberJoined(room, "p1", null, null),
                new MemberLeft(room, "p1", "left"),
                new TrackPublished(room, "p1", "p", "0", MediaKind.AUDIO, null, false, List.of(new Layer(null, 1, -1))),
                new TrackClosed(room, "p"),
                new Muted(room, "p1", TrackSource.MICROPHONE, true),
                new LayerDemand(room, "p", 1),
                new Data(room, CHAT, "p1", List.of(), false, new byte[0]));
    }

    static Stream<Arguments> unencodable() {
        Layer one = new Layer(null, 1, -1);
        Stream<Arguments> rooms = Stream.of(
                        inRoom("").stream().map(m -> Arguments.of(named("an empty room: "
                                + m.getClass().getSimpleName(), m))),
                        inRoom("r".repeat(257)).stream().map(m -> Arguments.of(named("a room of 257 bytes: "
                                + m.getClass().getSimpleName(), m))),
                        inRoom("\u00e9".repeat(129)).stream().map(m -> Arguments.of(named(
                                "a room of 129 two-byte characters: " + m.getClass().getSimpleName(), m))),
                        inRoom("\ud83d").stream().map(m -> Arguments.of(named("a room of a lone surrogate: "
                                + m.getClass().getSimpleName(), m))))
                .flatMap(s -> s);
        return Stream.concat(rooms, Stream.of(
                Arguments.of(named("version 0", new Hello(0, "n"))),
                Arguments.of(named("version 256", new Hello(256, "n"))),
                Arguments.of(named("a node id with a space", new Hello(1, "node a"))),
                Arguments.of(named("a node id of 65 bytes", new Hello(1, "n".repeat(65)))),
                Arguments.of(named("an empty node id", new Hello(1, ""))),
                Arguments.of(named("a participant id of 65 bytes", new MemberJoined("r", "p".repeat(65), null, null))),
                Arguments.of(named("a participant id of 33 two-byte characters",
                        new MemberJoined("r", "\u00e9".repeat(33), null, null))),
                Arguments.of(named("an empty display name", new MemberJoined("r", "p1", "", null))),
                Arguments.of(named("an empty identity", new MemberJoined("r", "p1", null, ""))),
                Arguments.of(named("a display name of 513 bytes", new MemberJoined("r", "p1", "n".repeat(513), null))),
                Arguments.of(named("a lone surrogate", new MemberJoined("r", "p1", "\ud83d", null))),
                Arguments.of(named("a reason with a space", new MemberLeft("r", "p1", "timed out"))),
                Arguments.of(named("no layer", new TrackPublished("r", "p1", "p", "0", MediaKind.AUDIO, null, false,
                        List.of()))),
                Arguments.of(named("four layers", new TrackPublished("r", "p1", "p", "0", MediaKind.VIDEO, null, false,
                        List.of(new Layer("a", 1, -1), new Layer("b", 2, -1), new Layer("c", 3, -1), new Layer("d", 4, -1))))),
                Arguments.of(named("two layers without rids", new TrackPublished("r", "p1", "p", "0", MediaKind.VIDEO,
                        null, false, List.of(one, one)))),
                Arguments.of(named("an empty rid", new TrackPublished("r", "p1", "p", "0", MediaKind.VIDEO, null, false,
                        List.of(new Layer("", 1, -1))))),
                Arguments.of(named("SSRC -1", new TrackPublished("r", "p1", "p", "0", MediaKind.AUDIO, null, false,
                        List.of(new Layer(null, -1, -1))))),
                Arguments.of(named("SSRC 2^32", new TrackPublished("r", "p1", "p", "0", MediaKind.AUDIO, null, false,
                        List.of(new Layer(null, 0x1_0000_0000L, -1))))),
                Arguments.of(named("RTX SSRC -2", new TrackPublished("r", "p1", "p", "0", MediaKind.AUDIO, null, false,
                        List.of(new Layer(null, 1, -2))))),
                Arguments.of(named("a camera of audio", new TrackPublished("r", "p1", "p", "0", MediaKind.AUDIO,
                        TrackSource.CAMERA, false, List.of(one)))),
                Arguments.of(named("a producer id of 256 bytes", new TrackClosed("r", "p".repeat(256)))),
                Arguments.of(named("an empty producer id", new TrackClosed("r", ""))),
                Arguments.of(named("layer 3 demanded", new LayerDemand("r", "p", 0b1000))),
                Arguments.of(named("a negative layer mask", new LayerDemand("r", "p", -1))),
                Arguments.of(named("256 targets", new Data("r", CHAT, "p1", java.util.Collections.nCopies(256, "p2"),
                        false, new byte[0]))),
                Arguments.of(named("an empty target", new Data("r", CHAT, "p1", List.of(""), false, new byte[0]))),
                Arguments.of(named("a payload over 256 KiB", new Data("r", CHAT, "p1", List.of(), false,
                        new byte[256 * 1024 + 1]))),
                Arguments.of(named("a channel limited both ways", new Data("r", new Channel("", "", true, 1, 1), "p1",
                        List.of(), false, new byte[0]))),
                Arguments.of(named("65 536 retransmits", new Data("r", new Channel("", "", true, 65_536, -1), "p1",
                        List.of(), false, new byte[0]))),
                Arguments.of(named("a label over 1024 bytes", new Data("r",
                        new Channel("l".repeat(1025), "", true, -1, -1), "p1", List.of(), false, new byte[0]))),
                Arguments.of(named("an empty reason", new Bye("")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unencodable")
    void encodingRefusesWhatCouldNotBeDecodedBack(RelayMessage message) {
        assertThrows(IllegalArgumentException.class, () -> RelayMessageCodec.encode(message));
    }

    /** A room has no "none": no message can be built without one. */
    @Test
    void aNullRoomIsRefusedWhenBuilt() {
        Layer one = new Layer(null, 1, -1);
        List<org.junit.jupiter.api.function.Executable> builds = List.of(
                () -> new RoomOpen(null),
                () -> new RoomClosed(null),
                () -> new MemberJoined(null, "p1", null, null),
                () -> new MemberLeft(null, "p1", "left"),
                () -> new TrackPublished(null, "p1", "p", "0", MediaKind.AUDIO, null, false, List.of(one)),
                () -> new TrackClosed(null, "p"),
                () -> new Muted(null, "p1", TrackSource.MICROPHONE, true),
                () -> new LayerDemand(null, "p", 1),
                () -> new Data(null, CHAT, "p1", List.of(), false, new byte[0]));
        for (org.junit.jupiter.api.function.Executable build : builds) {
            assertEquals("room", assertThrows(NullPointerException.class, build).getMessage());
        }
    }

    @Test
    void dataRecordsCompareTheirPayloads() {
        Data a = new Data("r", CHAT, "p1", List.of(), true, new byte[] {1, 2});
        Data b = new Data("r", CHAT, "p1", List.of(), true, new byte[] {1, 2});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new Data("s", CHAT, "p1", List.of(), true, new byte[] {1, 2}));
        assertEquals("Data[room=r, channel=Channel[label=chat, protocol=, ordered=true, maxRetransmits=-1,"
                + " maxPacketLifeTimeMillis=-1], senderId=p1, targets=[], text=true, payload=2 bytes]", a.toString());
    }

    /**
     * Random bytes, half of them variations of valid messages so that they get past the type
     * byte: decoding never throws, gives a message or a reason, and what it decodes encodes
     * back to the same bytes (the format has one encoding per message).
     */
    @Test
    void randomBytesNeverThrow() {
        List<byte[]> seeds = messages().map(a -> (byte[]) ((org.junit.jupiter.api.Named<?>) a.get()[0]).getPayload())
                .toList();
        Random random = new Random(0x5EED);
        int decoded = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes;
            if (random.nextBoolean()) {
                bytes = new byte[random.nextInt(48)];
                random.nextBytes(bytes);
                if (bytes.length > 0 && random.nextBoolean()) {
                    bytes[0] = (byte) (1 + random.nextInt(RelayMessageCodec.ROOM_CLOSED));
                }
            } else {
                byte[] seed = seeds.get(random.nextInt(seeds.size()));
                bytes = Arrays.copyOf(seed, Math.max(0, seed.length + random.nextInt(5) - 2));
                for (int flips = 1 + random.nextInt(3); flips > 0 && bytes.length > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            Decoded result = decode(bytes);
            assertTrue(result.ok() == (result.error() == null), "message or reason, not both");
            if (result.ok()) {
                decoded++;
                assertArrayEquals(bytes, RelayMessageCodec.encode(result.message()), result.message().toString());
            }
        }
        assertTrue(decoded > 1_000, "only " + decoded + " inputs decoded: the loop does not reach the fields");
    }
}
