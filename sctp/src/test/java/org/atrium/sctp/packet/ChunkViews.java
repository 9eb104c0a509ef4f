package org.atrium.sctp.packet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test helper: reads a chunk through the view for its type, every accessor and every parameter,
 * and says whether the view accepted it. Used by the codec tables and the fuzz targets, so a read
 * outside the chunk throws there.
 */
public final class ChunkViews {
    private ChunkViews() {
    }

    /** Whether the view for the chunk's type accepts {@code b[off, off + len)}; unknown types count as accepted. */
    public static boolean read(byte[] b, int off, int len) {
        int type = Chunk.type(b, off);
        switch (type) {
            case ChunkType.DATA -> {
                if (!DataChunk.is(b, off, len)) {
                    return false;
                }
                DataChunk.tsn(b, off);
                DataChunk.streamId(b, off);
                DataChunk.ssn(b, off);
                DataChunk.ppid(b, off);
                assertTrue(DataChunk.payloadOffset(off) + DataChunk.payloadLength(b, off) <= off + len);
                return true;
            }
            case ChunkType.INIT, ChunkType.INIT_ACK -> {
                if (!InitChunk.is(b, off, len, type)) {
                    return false;
                }
                InitChunk.initiateTag(b, off);
                InitChunk.advertisedWindow(b, off);
                InitChunk.outboundStreams(b, off);
                InitChunk.inboundStreams(b, off);
                InitChunk.initialTsn(b, off);
                return parameters(b, InitChunk.parametersOffset(off), InitChunk.parametersLength(b, off), off + len);
            }
            case ChunkType.SACK -> {
                if (!SackChunk.is(b, off, len)) {
                    return false;
                }
                SackChunk.cumulativeTsnAck(b, off);
                SackChunk.advertisedWindow(b, off);
                for (int i = 0; i < SackChunk.gapCount(b, off); i++) {
                    SackChunk.gapStart(b, off, i);
                    SackChunk.gapEnd(b, off, i);
                }
                for (int i = 0; i < SackChunk.duplicateCount(b, off); i++) {
                    SackChunk.duplicateTsn(b, off, i);
                }
                return true;
            }
            case ChunkType.HEARTBEAT, ChunkType.HEARTBEAT_ACK -> {
                if (!HeartbeatChunk.is(b, off, len, type)) {
                    return false;
                }
                assertTrue(HeartbeatChunk.infoOffset(off) + HeartbeatChunk.infoLength(b, off) <= off + len);
                return true;
            }
            case ChunkType.ABORT -> {
                if (!AbortChunk.is(b, off, len)) {
                    return false;
                }
                AbortChunk.reflectedTag(b, off);
                AbortChunk.describe(b, off, len);
                return parameters(b, off + Chunk.HEADER_LENGTH, len - Chunk.HEADER_LENGTH, off + len);
            }
            case ChunkType.SHUTDOWN -> {
                if (!ShutdownChunk.is(b, off, len)) {
                    return false;
                }
                ShutdownChunk.cumulativeTsnAck(b, off);
                return true;
            }
            case ChunkType.COOKIE_ECHO -> {
                if (!CookieEchoChunk.is(b, off, len)) {
                    return false;
                }
                assertTrue(CookieEchoChunk.cookieOffset(off) + CookieEchoChunk.cookieLength(b, off) <= off + len);
                return true;
            }
            case ChunkType.FORWARD_TSN -> {
                if (!ForwardTsnChunk.is(b, off, len)) {
                    return false;
                }
                ForwardTsnChunk.newCumulativeTsn(b, off);
                for (int i = 0; i < ForwardTsnChunk.streamCount(b, off); i++) {
                    ForwardTsnChunk.streamId(b, off, i);
                    ForwardTsnChunk.ssn(b, off, i);
                }
                return true;
            }
            case ChunkType.RE_CONFIG -> {
                if (!ReConfigChunk.is(b, off, len)) {
                    return false;
                }
                return parameters(b, ReConfigChunk.parametersOffset(off), ReConfigChunk.parametersLength(b, off), off + len);
            }
            default -> {
                return len >= Chunk.HEADER_LENGTH;
            }
        }
    }

    /** Walks a parameter list, reading the RE-CONFIG parameter views; false when it is malformed. */
    private static boolean parameters(byte[] b, int off, int len, int end) {
        ParameterIterator it = new ParameterIterator().reset(b, off, len);
        while (it.next()) {
            int p = it.offset();
            int plen = it.length();
            assertTrue(p >= off && p + plen <= end, "parameter inside its chunk");
            if (OutgoingSsnResetRequest.is(b, p, plen)) {
                OutgoingSsnResetRequest.requestSequence(b, p);
                OutgoingSsnResetRequest.responseSequence(b, p);
                OutgoingSsnResetRequest.senderLastAssignedTsn(b, p);
                for (int i = 0; i < OutgoingSsnResetRequest.streamCount(b, p); i++) {
                    OutgoingSsnResetRequest.streamId(b, p, i);
                }
            }
            if (ReconfigurationResponse.is(b, p, plen)) {
                ReconfigurationResponse.responseSequence(b, p);
                ReconfigurationResponse.result(b, p);
            }
            if (IncomingSsnResetRequest.is(b, p, plen)) {
                IncomingSsnResetRequest.requestSequence(b, p);
            }
            if (it.type() == Parameter.SUPPORTED_EXTENSIONS) {
                SupportedExtensions.lists(b, p, plen, ChunkType.RE_CONFIG);
            }
        }
        return !it.malformed();
    }
}
