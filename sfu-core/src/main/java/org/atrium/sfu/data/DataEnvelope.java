package org.atrium.sfu.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The envelope every relayed data-channel message travels in, so that the SFU knows whom a
 * message is for and a receiver knows whom it is from (docs/signaling.md, "Data channels"):
 *
 * <pre>
 *  0                   1
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  flags  (0x01 |  id count N   |   then N times: a length L (1 byte, 1-64)
 * |  = UTF-8 text)|               |   and L bytes of a participant id (UTF-8);
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   then the payload, to the end of the message
 * </pre>
 *
 * From a client to the SFU the ids are the targets (none: every other member of the room);
 * from the SFU to a client there is one id, the sender's. Sent as a binary message; the
 * flag says whether the payload is text, which the SFU does not check.
 */
public final class DataEnvelope {

    public static final int FLAG_TEXT = 0x01;
    public static final int MAX_ID_LENGTH = 64;
    public static final int MAX_TARGETS = 255;

    private DataEnvelope() {
    }

    /**
     * A client's envelope, read: its flags, its targets and where its payload starts.
     *
     * @param targets the participant ids named, empty for the whole room
     */
    public record Incoming(int flags, List<String> targets, int payloadOffset) {
        public boolean text() {
            return (flags & FLAG_TEXT) != 0;
        }
    }

    /** Reads a client's envelope, or returns null when the bytes are not one (reserved flags, ids past the end). */
    public static Incoming read(byte[] message) {
        if (message.length < 2 || (message[0] & ~FLAG_TEXT) != 0) {
            return null;
        }
        int count = message[1] & 0xFF;
        int at = 2;
        List<String> targets = count == 0 ? List.of() : new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (at >= message.length) {
                return null;
            }
            int length = message[at++] & 0xFF;
            if (length == 0 || length > MAX_ID_LENGTH || at + length > message.length) {
                return null;
            }
            targets.add(new String(message, at, length, StandardCharsets.UTF_8));
            at += length;
        }
        return new Incoming(message[0] & 0xFF, targets, at);
    }

    /**
     * The envelope a receiver gets: the flags, the sender's id and the payload (copied once;
     * the same array goes to every receiver).
     */
    public static byte[] fromSender(int flags, String senderId, byte[] payload, int offset, int length) {
        byte[] id = senderId.getBytes(StandardCharsets.UTF_8);
        if (id.length == 0 || id.length > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("participant id of " + id.length + " bytes");
        }
        byte[] out = new byte[3 + id.length + length];
        out[0] = (byte) (flags & FLAG_TEXT);
        out[1] = 1;
        out[2] = (byte) id.length;
        System.arraycopy(id, 0, out, 3, id.length);
        System.arraycopy(payload, offset, out, 3 + id.length, length);
        return out;
    }

    /** A client's envelope (as the Java client and tests send it). */
    public static byte[] toTargets(boolean text, List<String> targets, byte[] payload) {
        if (targets.size() > MAX_TARGETS) {
            throw new IllegalArgumentException("more than " + MAX_TARGETS + " targets");
        }
        int size = 2 + payload.length;
        List<byte[]> ids = new ArrayList<>(targets.size());
        for (String target : targets) {
            byte[] id = target.getBytes(StandardCharsets.UTF_8);
            if (id.length == 0 || id.length > MAX_ID_LENGTH) {
                throw new IllegalArgumentException("participant id of " + id.length + " bytes");
            }
            ids.add(id);
            size += 1 + id.length;
        }
        byte[] out = new byte[size];
        out[0] = (byte) (text ? FLAG_TEXT : 0);
        out[1] = (byte) targets.size();
        int at = 2;
        for (byte[] id : ids) {
            out[at++] = (byte) id.length;
            System.arraycopy(id, 0, out, at, id.length);
            at += id.length;
        }
        System.arraycopy(payload, 0, out, at, payload.length);
        return out;
    }

    /** The sender's id in an envelope from the SFU, or null when it is not one. */
    public static String sender(byte[] message) {
        Incoming read = read(message);
        return read == null || read.targets().size() != 1 ? null : read.targets().get(0);
    }
}
