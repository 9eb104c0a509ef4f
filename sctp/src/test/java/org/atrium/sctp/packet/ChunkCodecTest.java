package org.atrium.sctp.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.atrium.sctp.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chunk views and writers against bytes captured from real stacks. The captures are the
 * "FromCapture" vectors of WebRTC's dcSCTP unit tests (net/dcsctp/packet/chunk/*_test.cc in the
 * WebRTC source, each taken from a Wireshark trace of Chrome or usrsctp; the dissection is
 * theirs). Where we can write the same chunk, the writer must give back the captured bytes.
 */
class ChunkCodecTest {
    /** What a row checks about its chunk; {@code off} is where the chunk starts in {@code b}. */
    interface Check {
        void check(byte[] b, int off, int len);
    }

    /** Writes the chunk at {@code off}; returns its length with padding. */
    interface Writer {
        int write(byte[] b, int off);
    }

    static Stream<Arguments> captures() {
        return Stream.of(
            Arguments.of("DATA: ordered complete, TSN 1426601532, SID 2, SSN 1, PPID 53 (data_chunk_test.cc)",
                """
                00 03 0014 | 5508363c | 0002 0001 | 00000035 | 00010203
                """,
                (Check) (b, o, l) -> {
                    assertTrue(DataChunk.is(b, o, l));
                    assertEquals(1426601532, DataChunk.tsn(b, o));
                    assertEquals(2, DataChunk.streamId(b, o));
                    assertEquals(1, DataChunk.ssn(b, o));
                    assertEquals(53, DataChunk.ppid(b, o));
                    assertTrue(DataChunk.begin(b, o) && DataChunk.end(b, o) && !DataChunk.unordered(b, o));
                    assertEquals(4, DataChunk.payloadLength(b, o));
                    assertEquals("00010203", Hex.of(b, DataChunk.payloadOffset(o), 4));
                },
                (Writer) (b, o) -> DataChunk.write(b, o, 3, 1426601532, 2, 1, 53, new byte[] {0, 1, 2, 3}, 0, 4)),
            Arguments.of("INIT from Chrome's usrsctp with ECN, FORWARD-TSN, AUTH parameters (init_chunk_test.cc)",
                """
                01 00 005a | de7a1690 | 00020000 | 03e8 03e8 | 250d37e8
                8000 0004                                # ECN capable
                c000 0004                                # Forward-TSN-Supported
                8008 0009 c0 0f c1 80 82 000000          # Supported Extensions: FORWARD_TSN AUTH ASCONF ASCONF_ACK RE_CONFIG
                8002 0024 ab314462121a1513fd5a5f69efaa06e9abd748cc3bd14b60ed7fa644ce4dd2ad  # Random
                8004 0006 0001 0000                      # Requested HMAC Algorithm: SHA-1
                8003 0006 80 c1 0000                     # Authenticated Chunk list
                """,
                (Check) (b, o, l) -> {
                    assertTrue(InitChunk.is(b, o, l, ChunkType.INIT));
                    assertEquals(0xde7a1690, InitChunk.initiateTag(b, o));
                    assertEquals(131072, InitChunk.advertisedWindow(b, o));
                    assertEquals(1000, InitChunk.outboundStreams(b, o));
                    assertEquals(1000, InitChunk.inboundStreams(b, o));
                    assertEquals(621623272, InitChunk.initialTsn(b, o));
                    int params = InitChunk.parametersOffset(o);
                    int plen = InitChunk.parametersLength(b, o);
                    assertTrue(ParameterIterator.find(b, params, plen, Parameter.FORWARD_TSN_SUPPORTED) > 0);
                    int ext = ParameterIterator.find(b, params, plen, Parameter.SUPPORTED_EXTENSIONS);
                    assertTrue(SupportedExtensions.lists(b, ext, Parameter.length(b, ext), ChunkType.RE_CONFIG));
                    assertTrue(SupportedExtensions.lists(b, ext, Parameter.length(b, ext), ChunkType.FORWARD_TSN));
                    assertFalse(SupportedExtensions.lists(b, ext, Parameter.length(b, ext), ChunkType.DATA));
                },
                null),
            Arguments.of("INIT ACK from dcSCTP with a 256-byte cookie (init_ack_chunk_test.cc)",
                """
                02 00 0124 | 579c2f98 | 00020000 | 03e8 0800 | 63968ec7
                c000 0004 | 8008 0006 c0 82 0000
                0007 0104                                # State Cookie, 256 bytes
                4b414d452d42534420312e310000000096b8386000000000525a0e0000000000
                60ea0000b5aa19ea31efa42b90167ade579c2f98000000000000000000000000
                0000000004000000000000000000000000000000000000000400000000000000
                138813880000010001010100000000000100005ade7a16900002000003e803e8
                250d37e880000004c000000480080009c00fc1808200000080020024ab314462
                121a1513fd5a5f69efaa06e9abd748cc3bd14b60ed7fa644ce4dd2ad80040006
                000100008003000680c1000002000124579c2f980002000003e8080063968ec7
                c000000480080006c0820000519501880d807b19e7f9c6185c4abf3932e5638e
                """,
                (Check) (b, o, l) -> {
                    assertTrue(InitChunk.is(b, o, l, ChunkType.INIT_ACK));
                    assertEquals(0x579c2f98, InitChunk.initiateTag(b, o));
                    assertEquals(2048, InitChunk.inboundStreams(b, o));
                    assertEquals(1670811335, InitChunk.initialTsn(b, o));
                    int cookie = ParameterIterator.find(b, InitChunk.parametersOffset(o), InitChunk.parametersLength(b, o),
                        Parameter.STATE_COOKIE);
                    assertEquals(260, Parameter.length(b, cookie));
                },
                null),
            Arguments.of("SACK with two gap blocks and a duplicate (sack_chunk_test.cc)",
                """
                03 00 001c | 369dd00b | 0001ed73 | 0002 0001 | 0002 0006 | 0008 0008 | 369dd011
                """,
                (Check) (b, o, l) -> {
                    assertTrue(SackChunk.is(b, o, l));
                    assertEquals(916312075, SackChunk.cumulativeTsnAck(b, o));
                    assertEquals(126323, SackChunk.advertisedWindow(b, o));
                    assertEquals(2, SackChunk.gapCount(b, o));
                    assertEquals(916312077 - 916312075, SackChunk.gapStart(b, o, 0));
                    assertEquals(916312081 - 916312075, SackChunk.gapEnd(b, o, 0));
                    assertEquals(8, SackChunk.gapStart(b, o, 1));
                    assertEquals(8, SackChunk.gapEnd(b, o, 1));
                    assertEquals(1, SackChunk.duplicateCount(b, o));
                    assertEquals(916312081, SackChunk.duplicateTsn(b, o, 0));
                },
                (Writer) (b, o) -> SackChunk.write(b, o, 916312075, 126323, new int[] {2, 8}, new int[] {6, 8}, 2,
                    new int[] {916312081}, 1)),
            Arguments.of("HEARTBEAT with 36 bytes of info (heartbeat_request_chunk_test.cc)",
                """
                04 00 002c | 0001 0028
                ad243660372607000000000000000000 7b100000010000000000000000000000 00000000
                """,
                (Check) (b, o, l) -> {
                    assertTrue(HeartbeatChunk.is(b, o, l, ChunkType.HEARTBEAT));
                    assertEquals(36, HeartbeatChunk.infoLength(b, o));
                    assertEquals("ad243660", Hex.of(b, HeartbeatChunk.infoOffset(o), 4));
                },
                (Writer) (b, o) -> HeartbeatChunk.write(b, o, ChunkType.HEARTBEAT,
                    Hex.bytes("ad243660372607000000000000000000 7b100000010000000000000000000000 00000000"), 0, 36)),
            Arguments.of("HEARTBEAT ACK returning the info (heartbeat_ack_chunk_test.cc)",
                """
                05 00 002c | 0001 0028
                ad243660372607000000000000000000 7b100000010000000000000000000000 00000000
                """,
                (Check) (b, o, l) -> {
                    assertTrue(HeartbeatChunk.is(b, o, l, ChunkType.HEARTBEAT_ACK));
                    assertFalse(HeartbeatChunk.is(b, o, l, ChunkType.HEARTBEAT));
                },
                (Writer) (b, o) -> HeartbeatChunk.write(b, o, ChunkType.HEARTBEAT_ACK,
                    Hex.bytes("ad243660372607000000000000000000 7b100000010000000000000000000000 00000000"), 0, 36)),
            Arguments.of("ABORT with an empty user-initiated abort cause (abort_chunk_test.cc)",
                """
                06 00 0008 | 000c 0004
                """,
                (Check) (b, o, l) -> {
                    assertTrue(AbortChunk.is(b, o, l));
                    assertFalse(AbortChunk.reflectedTag(b, o));
                    assertEquals("user initiated abort: ", AbortChunk.describe(b, o, l));
                },
                (Writer) (b, o) -> AbortChunk.write(b, o, false, ErrorCause.USER_INITIATED_ABORT, new byte[0])),
            Arguments.of("SHUTDOWN (shutdown_chunk_test.cc)",
                """
                07 00 0008 | 0611d1bd
                """,
                (Check) (b, o, l) -> {
                    assertTrue(ShutdownChunk.is(b, o, l));
                    assertEquals(101831101, ShutdownChunk.cumulativeTsnAck(b, o));
                },
                (Writer) (b, o) -> ShutdownChunk.write(b, o, 101831101)),
            Arguments.of("COOKIE ECHO (cookie_echo_chunk_test.cc)",
                """
                0a 00 0008 | 12345678
                """,
                (Check) (b, o, l) -> {
                    assertTrue(CookieEchoChunk.is(b, o, l));
                    assertEquals(4, CookieEchoChunk.cookieLength(b, o));
                    assertEquals("12345678", Hex.of(b, CookieEchoChunk.cookieOffset(o), 4));
                },
                (Writer) (b, o) -> CookieEchoChunk.write(b, o, Hex.bytes("12345678"), 0, 4)),
            Arguments.of("FORWARD TSN with no streams (forward_tsn_chunk_test.cc)",
                """
                c0 00 0008 | 71976b2a
                """,
                (Check) (b, o, l) -> {
                    assertTrue(ForwardTsnChunk.is(b, o, l));
                    assertEquals(1905748778, ForwardTsnChunk.newCumulativeTsn(b, o));
                    assertEquals(0, ForwardTsnChunk.streamCount(b, o));
                },
                (Writer) (b, o) -> ForwardTsnChunk.write(b, o, 1905748778, new int[0], new int[0], 0)),
            Arguments.of("RE-CONFIG: outgoing SSN reset request for stream 6 (reconfig_chunk_test.cc)",
                """
                82 00 0016
                000d 0012 | 8755d823 | 71976a9e | 8755d832 | 0006 0000
                """,
                (Check) (b, o, l) -> {
                    assertTrue(ReConfigChunk.is(b, o, l));
                    int p = ReConfigChunk.parametersOffset(o);
                    assertTrue(OutgoingSsnResetRequest.is(b, p, Parameter.length(b, p)));
                    assertEquals((int) 2270550051L, OutgoingSsnResetRequest.requestSequence(b, p));
                    assertEquals(1905748638, OutgoingSsnResetRequest.responseSequence(b, p));
                    assertEquals((int) 2270550066L, OutgoingSsnResetRequest.senderLastAssignedTsn(b, p));
                    assertEquals(1, OutgoingSsnResetRequest.streamCount(b, p));
                    assertEquals(6, OutgoingSsnResetRequest.streamId(b, p, 0));
                },
                (Writer) (b, o) -> {
                    int n = OutgoingSsnResetRequest.write(b, o + 4, (int) 2270550051L, 1905748638, (int) 2270550066L,
                        new int[] {6}, 1);
                    ReConfigChunk.writeHeader(b, o, 18);
                    return 4 + n;
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void capturedChunk(String name, String hex, Check check, Writer writer) {
        byte[] chunk = Hex.bytes(hex);
        int len = Chunk.length(chunk, 0);
        assertTrue(len <= chunk.length && Bytes.pad4(len) == chunk.length, "a whole chunk with its padding");
        for (int off : new int[] {0, 13}) {
            byte[] b = Hex.at(off, chunk);
            check.check(b, off, len);
            assertTrue(ChunkViews.read(b, off, len));
            assertFalse(ChunkViews.read(b, off, len - 1), "a view refuses a length that disagrees with the chunk's");
        }
        if (writer != null) {
            byte[] out = new byte[chunk.length + 20];
            Arrays.fill(out, (byte) 0x5A);
            int n = writer.write(out, 7);
            assertEquals(chunk.length, n);
            assertArrayEquals(chunk, Arrays.copyOfRange(out, 7, 7 + n), "the writer gives back the captured bytes");
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            Arguments.of("DATA without user data (RFC 9260 6.2)", "00 03 0010 00000001 0000 0000 00000035"),
            Arguments.of("INIT shorter than its fixed part", "01 00 0010 00000001 00020000 0001 0001"),
            Arguments.of("SACK whose gap count runs past it", "03 00 0010 00000001 00020000 0005 0000"),
            Arguments.of("HEARTBEAT without Heartbeat Info", "04 00 0008 0002 0004"),
            Arguments.of("HEARTBEAT whose info runs past it", "04 00 0008 0001 0010"),
            Arguments.of("SHUTDOWN of the wrong length", "07 00 000c 00000001 00000002"),
            Arguments.of("FORWARD TSN with half a stream entry", "c0 00 000a 00000001 0001 0000"),
            Arguments.of("RE-CONFIG whose parameter runs past it", "82 00 0010 000d 0020 00000001 00000002"),
            Arguments.of("INIT whose parameter length is below 4", "01 00 0018 00000001 00020000 0001 0001 00000001 c000 0002"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedChunkIsRefused(String name, String hex) {
        byte[] b = Hex.bytes(hex);
        assertFalse(ChunkViews.read(b, 0, Math.min(b.length, Chunk.length(b, 0))));
    }
}
