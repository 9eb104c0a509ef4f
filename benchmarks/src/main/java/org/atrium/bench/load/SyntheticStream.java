package org.atrium.bench.load;

import java.nio.charset.StandardCharsets;
import org.atrium.rtp.ExtensionBlockWriter;
import org.atrium.rtp.RtpPacket;
import org.atrium.srtp.SrtpSession;

/**
 * One synthetic RTP stream of a publisher, driven by the {@link Pacer}: it builds each
 * packet in its own buffer (header, negotiated extensions, payload with the send time)
 * and hands it to its sink. Each payload carries {@link System#nanoTime()} at
 * {@link #SEND_TIME_OFFSET}, so that a receiver in the same process can measure the
 * one-way delay. Only the pacer thread touches a stream, except {@link #requestKeyframe}.
 */
abstract class SyntheticStream {

    /** Room after a packet for the SRTP trailer. */
    static final int TRAILER_ROOM = SrtpSession.MAX_TRAILER;
    static final int MAX_PACKET = 1500;
    /** Where in the payload the send time (8 bytes, big-endian nanoTime) is. */
    static final int SEND_TIME_OFFSET = 8;
    static final int MIN_PAYLOAD = SEND_TIME_OFFSET + 8;

    final long ssrc;
    final int payloadType;
    final byte[] buf = new byte[MAX_PACKET + TRAILER_ROOM];
    private final PacketSink sink;
    private final ExtensionIds ids;
    private final TransportSequence transportSequence;
    private final byte[] mid;
    /** The RID of a simulcast encoding (RFC 8852), or null. */
    private final byte[] rid;
    private final byte[] twoBytes = new byte[2];
    private final byte[] oneByte = new byte[1];
    private final ExtensionBlockWriter extensions = new ExtensionBlockWriter();
    private int sequenceNumber;
    long rtpTimestamp;
    long nextDueNanos;
    private volatile long packetsSent;
    private volatile long bytesSent;
    private volatile long sendFailures;

    /** The transport-wide sequence counter that a publisher's streams share. */
    static final class TransportSequence {
        private int next;

        int next() {
            return next++ & 0xFFFF;
        }
    }

    /** @param rid the RID of a simulcast encoding, sent in the RID extension when negotiated; or null */
    SyntheticStream(long ssrc, int payloadType, String mid, String rid, ExtensionIds ids,
            TransportSequence transportSequence, PacketSink sink, long seed) {
        this.ssrc = ssrc;
        this.payloadType = payloadType;
        this.ids = ids;
        this.transportSequence = transportSequence;
        this.sink = sink;
        this.mid = mid.getBytes(StandardCharsets.US_ASCII);
        this.rid = rid == null ? null : rid.getBytes(StandardCharsets.US_ASCII);
        this.sequenceNumber = (int) (seed & 0xFFFF);
        this.rtpTimestamp = (seed >>> 16) & 0xFFFFFFFFL;
        java.util.Arrays.fill(buf, (byte) 0x5A);
    }

    /** Sends what is due at {@code now}; returns when the next packet or burst is due. */
    abstract long emit(long now);

    /** Asks for a keyframe at the next frame (video only; audio ignores it). */
    void requestKeyframe() {
    }

    /**
     * Writes the RTP header and extensions of the next packet into {@link #buf}; returns the
     * payload offset. {@code audioLevel} is the RFC 6464 byte, or -1 for none.
     */
    final int writeHeader(boolean marker, int audioLevel) {
        int pos = RtpPacket.writeHeader(buf, 0, marker, payloadType, sequenceNumber, rtpTimestamp, ssrc);
        sequenceNumber = (sequenceNumber + 1) & 0xFFFF;
        boolean sendsRid = rid != null && ids.rid() != 0;
        boolean any = (audioLevel >= 0 && ids.audioLevel() != 0) || ids.transportCc() != 0 || ids.mid() != 0
                || sendsRid;
        if (!any) {
            RtpPacket.setExtension(buf, 0, false);
            return pos;
        }
        extensions.start(buf, pos, false);
        if (audioLevel >= 0 && ids.audioLevel() != 0) {
            oneByte[0] = (byte) audioLevel;
            extensions.add(ids.audioLevel(), oneByte, 0, 1);
        }
        if (ids.transportCc() != 0) {
            int sequence = transportSequence.next();
            twoBytes[0] = (byte) (sequence >>> 8);
            twoBytes[1] = (byte) sequence;
            extensions.add(ids.transportCc(), twoBytes, 0, 2);
        }
        if (ids.mid() != 0) {
            extensions.add(ids.mid(), mid, 0, mid.length);
        }
        if (sendsRid) {
            // On every packet: libwebrtc stops once the receiver has acknowledged the SSRC,
            // the SFU strips it either way.
            extensions.add(ids.rid(), rid, 0, rid.length);
        }
        int blockLength = extensions.finish();
        RtpPacket.setExtension(buf, 0, true);
        return pos + blockLength;
    }

    /** Stamps the send time into the payload and sends the packet of {@code length} bytes. */
    final void stampAndSend(int payloadOffset, int length) {
        long now = System.nanoTime();
        int at = payloadOffset + SEND_TIME_OFFSET;
        for (int i = 7; i >= 0; i--) {
            buf[at + i] = (byte) now;
            now >>>= 8;
        }
        if (sink.send(buf, 0, length)) {
            packetsSent++;
            bytesSent += length;
        } else {
            sendFailures++;
        }
    }

    long packetsSent() {
        return packetsSent;
    }

    long bytesSent() {
        return bytesSent;
    }

    long sendFailures() {
        return sendFailures;
    }

    int lastSequenceNumber() {
        return (sequenceNumber - 1) & 0xFFFF;
    }

    /** Reads the send time a {@link SyntheticStream} put into a payload. */
    static long sendTime(byte[] b, int payloadOffset) {
        long value = 0;
        int at = payloadOffset + SEND_TIME_OFFSET;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (b[at + i] & 0xFF);
        }
        return value;
    }
}
