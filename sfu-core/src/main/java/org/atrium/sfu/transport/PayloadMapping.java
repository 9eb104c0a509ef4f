package org.atrium.sfu.transport;

import java.util.Arrays;
import org.atrium.rtp.HeaderExtensions;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.stats.DropReason;

/**
 * The payload types and header extension ids of one remote side, against the SFU's own
 * (canonical) numbering, for a transport whose remote side picked its numbers itself: a
 * WHIP or WHEP client makes the offer, and the answer must keep its numbers. Everything in
 * the core stays canonical; {@link WebRtcTransport} rewrites each RTP packet in place as it
 * crosses the edge. Immutable once built; safe to share between threads.
 *
 * <p>Inbound ({@link #toCanonical}): a payload type the remote side did not map is refused
 * ({@link DropReason#UNKNOWN_PAYLOAD_TYPE}); an element whose id has no canonical meaning is
 * erased into padding (its bytes zeroed), so that no reader in the core can take it for one of
 * its own ids, whatever ids the core assigns. Outbound ({@link #toRemote}): a canonical payload
 * type the remote side did not negotiate is refused the same way (it could mean another codec
 * there); an element the remote side did not negotiate is erased, so no receiver reads it
 * under one of its ids (RFC 8285 lets a receiver ignore unknown ids, but erasing needs no id
 * that the remote side leaves free). An element that the one-byte form cannot carry under
 * its new id (above 14) is erased too.
 *
 * <p>RTCP is not mapped: it names streams by SSRC and carries no payload types or extension
 * ids. RED and FEC payloads, which carry payload types inside, are not mapped either.
 */
public final class PayloadMapping {

    private static final byte NONE = -1;

    /** Index: remote payload type; value: canonical, or {@link #NONE}. */
    private final byte[] payloadTypeToCanonical;
    /** Index: canonical payload type; value: remote, or {@link #NONE}. */
    private final byte[] payloadTypeToRemote;
    /** Index: remote extension id; value: canonical id, 0 = erase. */
    private final byte[] extensionToCanonical;
    /** Index: canonical extension id; value: remote id, 0 = erase. */
    private final byte[] extensionToRemote;

    private PayloadMapping(Builder builder) {
        payloadTypeToCanonical = builder.payloadTypeToCanonical.clone();
        payloadTypeToRemote = builder.payloadTypeToRemote.clone();
        extensionToCanonical = builder.extensionToCanonical.clone();
        extensionToRemote = builder.extensionToRemote.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Rewrites a decrypted, validated RTP packet from the remote numbering to the canonical one,
     * in place. Returns null when done, else why the packet must be dropped: its payload type is
     * not mapped, or its extension block is malformed (then it may be half rewritten).
     */
    public DropReason toCanonical(byte[] buf, int off, int len) {
        return rewrite(buf, off, len, payloadTypeToCanonical, extensionToCanonical);
    }

    /**
     * Rewrites an RTP packet the SFU is about to send from the canonical numbering to the remote
     * one, in place. Returns null when done, else why it must not be sent: its payload type has
     * no remote number, or its extension block is malformed.
     */
    public DropReason toRemote(byte[] buf, int off, int len) {
        return rewrite(buf, off, len, payloadTypeToRemote, extensionToRemote);
    }

    private static DropReason rewrite(byte[] buf, int off, int len, byte[] payloadTypes, byte[] extensionIds) {
        if (buf == null || len < RtpPacket.FIXED_HEADER_LENGTH || off < 0 || buf.length - len < off) {
            return DropReason.MALFORMED_RTP;
        }
        int payloadType = payloadTypes[RtpPacket.payloadType(buf, off)];
        if (payloadType == NONE) {
            return DropReason.UNKNOWN_PAYLOAD_TYPE;
        }
        if (HeaderExtensions.remapIds(buf, off, len, extensionIds) != null) {
            return DropReason.MALFORMED_RTP;
        }
        RtpPacket.setPayloadType(buf, off, payloadType);
        return null;
    }

    /** The canonical payload type for a remote one, or -1. */
    public int canonicalPayloadType(int remote) {
        return remote >= 0 && remote < 128 ? payloadTypeToCanonical[remote] : -1;
    }

    /** The remote payload type for a canonical one, or -1. */
    public int remotePayloadType(int canonical) {
        return canonical >= 0 && canonical < 128 ? payloadTypeToRemote[canonical] : -1;
    }

    /** The canonical extension id for a remote one, or 0 (erased). */
    public int canonicalExtensionId(int remoteId) {
        return remoteId > 0 && remoteId < 256 ? extensionToCanonical[remoteId] & 0xFF : 0;
    }

    /** The remote extension id for a canonical one, or 0 (erased). */
    public int remoteExtensionId(int canonicalId) {
        return canonicalId > 0 && canonicalId < 256 ? extensionToRemote[canonicalId] & 0xFF : 0;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("PayloadMapping[pt");
        for (int pt = 0; pt < 128; pt++) {
            if (payloadTypeToCanonical[pt] != NONE) {
                s.append(' ').append(pt).append("->").append(payloadTypeToCanonical[pt]);
            }
        }
        s.append(", ext");
        for (int id = 1; id < 256; id++) {
            if (extensionToCanonical[id] != 0) {
                s.append(' ').append(id).append("->").append(extensionToCanonical[id] & 0xFF);
            }
        }
        return s.append(']').toString();
    }

    /**
     * Collects the pairs from the offer/answer. A remote number may be given once; when two
     * remote numbers map to one canonical number (a codec offered twice), both are accepted
     * inbound and the first given is sent outbound.
     */
    public static final class Builder {
        private final byte[] payloadTypeToCanonical = new byte[128];
        private final byte[] payloadTypeToRemote = new byte[128];
        private final byte[] extensionToCanonical = new byte[256];
        private final byte[] extensionToRemote = new byte[256];

        private Builder() {
            Arrays.fill(payloadTypeToCanonical, NONE);
            Arrays.fill(payloadTypeToRemote, NONE);
        }

        /** A payload type, of a codec or of its retransmission (RTX) format: remote and canonical, 0-127. */
        public Builder payloadType(int remote, int canonical) {
            check(remote, 0, 127, "payload type");
            check(canonical, 0, 127, "payload type");
            if (payloadTypeToCanonical[remote] != NONE && payloadTypeToCanonical[remote] != canonical) {
                throw new IllegalArgumentException("remote payload type " + remote + " is already mapped to "
                        + payloadTypeToCanonical[remote]);
            }
            payloadTypeToCanonical[remote] = (byte) canonical;
            if (payloadTypeToRemote[canonical] == NONE) {
                payloadTypeToRemote[canonical] = (byte) remote;
            }
            return this;
        }

        /**
         * A header extension id, remote and canonical, 1-255 (RFC 8285; above 14 only the
         * two-byte form carries it).
         */
        public Builder extension(int remoteId, int canonicalId) {
            check(remoteId, 1, 255, "extension id");
            check(canonicalId, 1, 255, "extension id");
            int known = extensionToCanonical[remoteId] & 0xFF;
            if (known != 0 && known != canonicalId) {
                throw new IllegalArgumentException("remote extension id " + remoteId + " is already mapped to " + known);
            }
            extensionToCanonical[remoteId] = (byte) canonicalId;
            if (extensionToRemote[canonicalId] == 0) {
                extensionToRemote[canonicalId] = (byte) remoteId;
            }
            return this;
        }

        public PayloadMapping build() {
            return new PayloadMapping(this);
        }

        private static void check(int value, int min, int max, String what) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(what + " must be " + min + "-" + max + ": " + value);
            }
        }
    }
}
