package org.atrium.sfu.peer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.atrium.rtp.ExtensionBlockWriter;
import org.atrium.rtp.RtpPacket;

/**
 * Builds a plain (unprotected) RTP packet as a browser would send it: fixed header,
 * optional RFC 8285 one-byte header extensions, payload. Not thread-safe; one packet
 * per {@link #build()}.
 */
public final class RtpPacketBuilder {

    private final long ssrc;
    private final int payloadType;
    private int sequenceNumber;
    private long timestamp;
    private boolean marker;
    private byte[] payload = new byte[0];
    private final List<Extension> extensions = new ArrayList<>();

    private record Extension(int id, byte[] data) {
    }

    private RtpPacketBuilder(long ssrc, int payloadType) {
        this.ssrc = ssrc;
        this.payloadType = payloadType;
    }

    public static RtpPacketBuilder rtp(long ssrc, int payloadType) {
        return new RtpPacketBuilder(ssrc, payloadType);
    }

    public RtpPacketBuilder sequenceNumber(int sequenceNumber) {
        this.sequenceNumber = sequenceNumber & 0xFFFF;
        return this;
    }

    public RtpPacketBuilder timestamp(long timestamp) {
        this.timestamp = timestamp & 0xFFFFFFFFL;
        return this;
    }

    public RtpPacketBuilder marker(boolean marker) {
        this.marker = marker;
        return this;
    }

    public RtpPacketBuilder payload(byte[] payload) {
        this.payload = payload.clone();
        return this;
    }

    /** Adds a one-byte-form extension element (id 1-14, 1-16 bytes of data). */
    public RtpPacketBuilder extension(int id, byte[] data) {
        extensions.add(new Extension(id, data.clone()));
        return this;
    }

    public byte[] build() {
        // Generous: 12-byte header, a 4-byte extension header, each element with its id
        // byte, padding to 32 bits, and the payload.
        int extensionRoom = 0;
        for (Extension extension : extensions) {
            extensionRoom += 1 + extension.data().length;
        }
        byte[] buf = new byte[RtpPacket.FIXED_HEADER_LENGTH + 4 + extensionRoom + 3 + payload.length];
        int pos = RtpPacket.writeHeader(buf, 0, marker, payloadType, sequenceNumber, timestamp, ssrc);
        if (!extensions.isEmpty()) {
            ExtensionBlockWriter writer = new ExtensionBlockWriter();
            writer.start(buf, pos, false);
            for (Extension extension : extensions) {
                if (!writer.add(extension.id(), extension.data(), 0, extension.data().length)) {
                    throw new IllegalArgumentException("extension id " + extension.id() + " with "
                            + extension.data().length + " bytes does not fit the one-byte form");
                }
            }
            int blockLength = writer.finish();
            if (blockLength < 0) {
                throw new IllegalStateException("extension block does not fit");
            }
            RtpPacket.setExtension(buf, 0, true);
            pos += blockLength;
        }
        System.arraycopy(payload, 0, buf, pos, payload.length);
        return Arrays.copyOf(buf, pos + payload.length);
    }
}
