package org.atrium.sfu.relay;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.relay.RelayMessage.Bye;
import org.atrium.sfu.relay.RelayMessage.Data;
import org.atrium.sfu.relay.RelayMessage.Hello;
import org.atrium.sfu.relay.RelayMessage.LayerDemand;
import org.atrium.sfu.relay.RelayMessage.MemberJoined;
import org.atrium.sfu.relay.RelayMessage.MemberLeft;
import org.atrium.sfu.relay.RelayMessage.Muted;
import org.atrium.sfu.relay.RelayMessage.RoomClosed;
import org.atrium.sfu.relay.RelayMessage.RoomOpen;
import org.atrium.sfu.relay.RelayMessage.TrackClosed;
import org.atrium.sfu.relay.RelayMessage.TrackPublished;
import org.atrium.sfu.relay.RelayMessage.TrackPublished.Layer;
import org.atrium.sfu.room.TrackSource;

/**
 * The bytes of a {@link RelayMessage}: one message per binary message of the relay link's
 * data channel, which is reliable and ordered. One link carries every room its two nodes
 * share; each message about a room names it right after the type byte. No I/O: bytes in,
 * messages out.
 *
 * <pre>
 * type  message         fields, in this order, and nothing after them
 * ----  --------------  ------------------------------------------------------------------
 * 0x01  Hello           version u8 (1-255) | node id TOKEN
 * 0x02  MemberJoined    room ROOM | participant id PID | display name N16 | identity N16
 * 0x03  MemberLeft      room ROOM | participant id PID | reason TOKEN
 * 0x04  TrackPublished  room ROOM | participant id PID | producer id S8 | mid S8 | kind u8
 *                       | source u8 | flags u8 (0x01 muted) | layer count u8 (1-3)
 *                       | each layer, lowest first: rid N8 | flags u8 (0x01 has RTX)
 *                         | SSRC u32 | RTX SSRC u32 (only with 0x01)
 * 0x05  TrackClosed     room ROOM | producer id S8
 * 0x06  Muted           room ROOM | participant id PID | source u8 (1-4) | flags u8 (0x01 muted)
 * 0x07  LayerDemand     room ROOM | producer id S8
 *                       | layer mask u8 (bit i: layer i wanted; bits 3-7 reserved)
 * 0x08  Data            room ROOM | flags u8 (0x01 text, 0x02 unordered, 0x04 max retransmits,
 *                       0x08 max packet life time; not both) | label N16 | protocol N16
 *                       | max retransmits u16 (only with 0x04) | max packet life time u16 (only with 0x08)
 *                       | sender id PID | target count u8 (0-255) | targets PID ...
 *                       | payload length u32 (0-262 144) | payload
 * 0x09  Bye             reason TOKEN
 * 0x0A  RoomOpen        room ROOM
 * 0x0B  RoomClosed      room ROOM
 *
 * u8 u16 u32   unsigned integers, big-endian
 * S8           a length L (1 byte, 1-255), then L bytes of UTF-8
 * N8           the same, but L = 0 is null (so an empty string cannot be sent)
 * S16, N16     the same with a 2-byte length; display name and identity: up to 512 bytes;
 *              a channel's label and protocol: up to 1024 bytes, null standing for empty
 * ROOM         S16 of 1-256 bytes: a room name
 * PID          S8 of 1-64 bytes: a participant id
 * TOKEN        S8 of 1-64 bytes of A-Z a-z 0-9 . _ -: a node id or a reason
 * kind         1 audio, 2 video
 * source       0 none (TrackPublished only), 1 microphone, 2 camera, 3 screen,
 *              4 screen-audio; of the same kind as the track
 * </pre>
 *
 * Several layers of one track each carry a rid of their own; a single layer may carry none.
 * Reserved flag bits are 0. Type 0x00 and 0x0C-0xFF are reserved. The hello keeps this layout
 * in every version, so that a node can read the other's version and say {@code bye} when it
 * does not speak it.
 *
 * <p>{@link #decode} never throws: bytes that break any rule above give a
 * {@link RelayMessageError}. {@link #encode} refuses, with an {@link IllegalArgumentException},
 * a message that would not decode back to itself.
 */
public final class RelayMessageCodec {

    public static final int HELLO = 0x01;
    public static final int MEMBER_JOINED = 0x02;
    public static final int MEMBER_LEFT = 0x03;
    public static final int TRACK_PUBLISHED = 0x04;
    public static final int TRACK_CLOSED = 0x05;
    public static final int MUTED = 0x06;
    public static final int LAYER_DEMAND = 0x07;
    public static final int DATA = 0x08;
    public static final int BYE = 0x09;
    public static final int ROOM_OPEN = 0x0A;
    public static final int ROOM_CLOSED = 0x0B;

    public static final int MAX_PARTICIPANT_ID_BYTES = 64;
    public static final int MAX_TOKEN_BYTES = 64;
    public static final int MAX_ROOM_BYTES = 256;
    public static final int MAX_NAME_BYTES = 512;
    public static final int MAX_SHORT_STRING_BYTES = 255;
    public static final int MAX_LAYERS = 3;
    public static final int MAX_TARGETS = 255;
    /** A data message's payload: 256 KiB, what the SFU takes from a participant (DataChannels.MAX_MESSAGE_SIZE). */
    public static final int MAX_PAYLOAD_BYTES = 256 * 1024;
    public static final int MAX_CHANNEL_STRING_BYTES = 1024;
    private static final int DATA_TEXT = 0x01;
    private static final int DATA_UNORDERED = 0x02;
    private static final int DATA_MAX_RETRANSMITS = 0x04;
    private static final int DATA_MAX_LIFETIME = 0x08;

    private static final int FLAG = 0x01;
    private static final int KIND_AUDIO = 1;
    private static final int KIND_VIDEO = 2;
    private static final int NO_SOURCE = 0;

    private static final Decoded[] FAILURES = failures();

    private RelayMessageCodec() {
    }

    /**
     * What {@link #decode} made of some bytes: a message, or why there is none.
     *
     * @param message the message, null when the bytes are not one
     * @param error   why they are not, null when they are
     */
    public record Decoded(RelayMessage message, RelayMessageError error) {
        public boolean ok() {
            return message != null;
        }
    }

    /**
     * Reads one message from {@code len} bytes of {@code buf} at {@code off}. Never throws;
     * keeps nothing of {@code buf} (strings and payloads are copied).
     */
    public static Decoded decode(byte[] buf, int off, int len) {
        if (buf == null || off < 0 || len < 0 || off > buf.length - len) {
            return FAILURES[RelayMessageError.OUT_OF_BOUNDS.ordinal()];
        }
        Reader r = new Reader(buf, off, off + len);
        int type = r.u8();
        if (r.error != null) {
            return FAILURES[r.error.ordinal()];
        }
        RelayMessage message = switch (type) {
            case HELLO -> hello(r);
            case MEMBER_JOINED -> memberJoined(r);
            case MEMBER_LEFT -> memberLeft(r);
            case TRACK_PUBLISHED -> trackPublished(r);
            case TRACK_CLOSED -> trackClosed(r);
            case MUTED -> muted(r);
            case LAYER_DEMAND -> layerDemand(r);
            case DATA -> data(r);
            case BYE -> bye(r);
            case ROOM_OPEN -> roomOpen(r);
            case ROOM_CLOSED -> roomClosed(r);
            default -> r.fail(RelayMessageError.UNKNOWN_TYPE);
        };
        if (r.error == null && r.at != r.end) {
            r.fail(RelayMessageError.TRAILING_BYTES);
        }
        return r.error != null ? FAILURES[r.error.ordinal()] : new Decoded(message, null);
    }

    private static Hello hello(Reader r) {
        int version = r.u8();
        if (r.error == null && version == 0) {
            return r.fail(RelayMessageError.BAD_VERSION);
        }
        String nodeId = r.token();
        return r.error != null ? null : new Hello(version, nodeId);
    }

    private static RoomOpen roomOpen(Reader r) {
        String room = r.room();
        return r.error != null ? null : new RoomOpen(room);
    }

    private static RoomClosed roomClosed(Reader r) {
        String room = r.room();
        return r.error != null ? null : new RoomClosed(room);
    }

    private static MemberJoined memberJoined(Reader r) {
        String room = r.room();
        String participantId = r.participantId();
        String displayName = r.string(2, MAX_NAME_BYTES, true);
        String identity = r.string(2, MAX_NAME_BYTES, true);
        return r.error != null ? null : new MemberJoined(room, participantId, displayName, identity);
    }

    private static MemberLeft memberLeft(Reader r) {
        String room = r.room();
        String participantId = r.participantId();
        String reason = r.token();
        return r.error != null ? null : new MemberLeft(room, participantId, reason);
    }

    private static TrackPublished trackPublished(Reader r) {
        String room = r.room();
        String participantId = r.participantId();
        String producerId = r.string(1, MAX_SHORT_STRING_BYTES, false);
        String mid = r.string(1, MAX_SHORT_STRING_BYTES, false);
        int kindCode = r.u8();
        if (r.error != null) {
            return null;
        }
        MediaKind kind = switch (kindCode) {
            case KIND_AUDIO -> MediaKind.AUDIO;
            case KIND_VIDEO -> MediaKind.VIDEO;
            default -> null;
        };
        if (kind == null) {
            return r.fail(RelayMessageError.UNKNOWN_KIND);
        }
        int sourceCode = r.u8();
        TrackSource source = null;
        if (r.error == null && sourceCode != NO_SOURCE) {
            source = source(sourceCode);
            if (source == null) {
                return r.fail(RelayMessageError.UNKNOWN_SOURCE);
            }
            if (source.kind() != kind) {
                return r.fail(RelayMessageError.SOURCE_KIND_MISMATCH);
            }
        }
        int flags = r.flags();
        int count = r.u8();
        if (r.error != null) {
            return null;
        }
        if (count == 0 || count > MAX_LAYERS) {
            return r.fail(RelayMessageError.BAD_LAYER_COUNT);
        }
        List<Layer> layers = new ArrayList<>(count);
        for (int i = 0; i < count && r.error == null; i++) {
            String rid = r.string(1, MAX_SHORT_STRING_BYTES, true);
            boolean rtx = r.flags() != 0;
            long ssrc = r.u32();
            long rtxSsrc = rtx ? r.u32() : Layer.NO_RTX;
            layers.add(new Layer(rid, ssrc, rtxSsrc));
        }
        if (r.error != null) {
            return null;
        }
        if (!ridsValid(layers)) {
            return r.fail(RelayMessageError.BAD_LAYER_RIDS);
        }
        return new TrackPublished(room, participantId, producerId, mid, kind, source, flags != 0, layers);
    }

    private static TrackClosed trackClosed(Reader r) {
        String room = r.room();
        String producerId = r.string(1, MAX_SHORT_STRING_BYTES, false);
        return r.error != null ? null : new TrackClosed(room, producerId);
    }

    private static Muted muted(Reader r) {
        String room = r.room();
        String participantId = r.participantId();
        int sourceCode = r.u8();
        if (r.error != null) {
            return null;
        }
        TrackSource source = source(sourceCode);
        if (source == null) {
            return r.fail(RelayMessageError.UNKNOWN_SOURCE);
        }
        int flags = r.flags();
        return r.error != null ? null : new Muted(room, participantId, source, flags != 0);
    }

    private static LayerDemand layerDemand(Reader r) {
        String room = r.room();
        String producerId = r.string(1, MAX_SHORT_STRING_BYTES, false);
        int mask = r.u8();
        if (r.error != null) {
            return null;
        }
        if ((mask & ~layerBits()) != 0) {
            return r.fail(RelayMessageError.RESERVED_FLAGS);
        }
        return new LayerDemand(room, producerId, mask);
    }

    private static Data data(Reader r) {
        String room = r.room();
        int flags = r.u8();
        if (r.error != null) {
            return null;
        }
        if ((flags & ~(DATA_TEXT | DATA_UNORDERED | DATA_MAX_RETRANSMITS | DATA_MAX_LIFETIME)) != 0
                || (flags & DATA_MAX_RETRANSMITS) != 0 && (flags & DATA_MAX_LIFETIME) != 0) {
            return r.fail(RelayMessageError.RESERVED_FLAGS);
        }
        String label = r.string(2, MAX_CHANNEL_STRING_BYTES, true);
        String protocol = r.string(2, MAX_CHANNEL_STRING_BYTES, true);
        int maxRetransmits = (flags & DATA_MAX_RETRANSMITS) != 0 ? r.u16() : -1;
        int maxLifetime = (flags & DATA_MAX_LIFETIME) != 0 ? r.u16() : -1;
        String senderId = r.participantId();
        int count = r.u8();
        List<String> targets = new ArrayList<>(r.error != null ? 0 : count);
        for (int i = 0; i < count && r.error == null; i++) {
            targets.add(r.participantId());
        }
        long length = r.u32();
        if (r.error != null) {
            return null;
        }
        if (length > MAX_PAYLOAD_BYTES) {
            return r.fail(RelayMessageError.BAD_LENGTH);
        }
        if (length > r.end - r.at) {
            return r.fail(RelayMessageError.TRUNCATED);
        }
        byte[] payload = new byte[(int) length];
        System.arraycopy(r.buf, r.at, payload, 0, payload.length);
        r.at += payload.length;
        RelayMessage.Channel channel = new RelayMessage.Channel(label == null ? "" : label,
                protocol == null ? "" : protocol, (flags & DATA_UNORDERED) == 0, maxRetransmits, maxLifetime);
        return new Data(room, channel, senderId, targets, (flags & DATA_TEXT) != 0, payload);
    }

    private static Bye bye(Reader r) {
        String reason = r.token();
        return r.error != null ? null : new Bye(reason);
    }

    /** The bytes of a message, to send as one binary data-channel message. */
    public static byte[] encode(RelayMessage message) {
        Objects.requireNonNull(message, "message");
        Writer w = new Writer();
        if (message instanceof Hello m) {
            if (m.version() < 1 || m.version() > 0xFF) {
                throw new IllegalArgumentException("version " + m.version() + " is not 1-255");
            }
            w.u8(HELLO);
            w.u8(m.version());
            w.token(m.nodeId(), "node id");
        } else if (message instanceof RoomOpen m) {
            w.u8(ROOM_OPEN);
            w.room(m.room());
        } else if (message instanceof RoomClosed m) {
            w.u8(ROOM_CLOSED);
            w.room(m.room());
        } else if (message instanceof MemberJoined m) {
            w.u8(MEMBER_JOINED);
            w.room(m.room());
            w.participantId(m.participantId());
            w.string(m.displayName(), 2, MAX_NAME_BYTES, true, "display name");
            w.string(m.identity(), 2, MAX_NAME_BYTES, true, "identity");
        } else if (message instanceof MemberLeft m) {
            w.u8(MEMBER_LEFT);
            w.room(m.room());
            w.participantId(m.participantId());
            w.token(m.reason(), "reason");
        } else if (message instanceof TrackPublished m) {
            trackPublished(w, m);
        } else if (message instanceof TrackClosed m) {
            w.u8(TRACK_CLOSED);
            w.room(m.room());
            w.string(m.producerId(), 1, MAX_SHORT_STRING_BYTES, false, "producer id");
        } else if (message instanceof Muted m) {
            w.u8(MUTED);
            w.room(m.room());
            w.participantId(m.participantId());
            w.u8(sourceCode(m.source()));
            w.u8(m.muted() ? FLAG : 0);
        } else if (message instanceof LayerDemand m) {
            if ((m.layerMask() & ~layerBits()) != 0) {
                throw new IllegalArgumentException("layer mask " + m.layerMask() + " names a layer past " + MAX_LAYERS);
            }
            w.u8(LAYER_DEMAND);
            w.room(m.room());
            w.string(m.producerId(), 1, MAX_SHORT_STRING_BYTES, false, "producer id");
            w.u8(m.layerMask());
        } else if (message instanceof Data m) {
            if (m.targets().size() > MAX_TARGETS) {
                throw new IllegalArgumentException(m.targets().size() + " targets, more than " + MAX_TARGETS);
            }
            if (m.payload().length > MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("payload of " + m.payload().length + " bytes");
            }
            RelayMessage.Channel channel = m.channel();
            if (channel.maxRetransmits() >= 0 && channel.maxPacketLifeTimeMillis() >= 0) {
                throw new IllegalArgumentException("a channel limited by both retransmissions and time");
            }
            if (channel.maxRetransmits() > 0xFFFF || channel.maxPacketLifeTimeMillis() > 0xFFFF
                    || channel.maxRetransmits() < -1 || channel.maxPacketLifeTimeMillis() < -1) {
                throw new IllegalArgumentException("channel limits past 16 bits: " + channel);
            }
            int flags = (m.text() ? DATA_TEXT : 0) | (channel.ordered() ? 0 : DATA_UNORDERED)
                    | (channel.maxRetransmits() >= 0 ? DATA_MAX_RETRANSMITS : 0)
                    | (channel.maxPacketLifeTimeMillis() >= 0 ? DATA_MAX_LIFETIME : 0);
            w.u8(DATA);
            w.room(m.room());
            w.u8(flags);
            w.string(channel.label().isEmpty() ? null : channel.label(), 2, MAX_CHANNEL_STRING_BYTES, true, "label");
            w.string(channel.protocol().isEmpty() ? null : channel.protocol(), 2, MAX_CHANNEL_STRING_BYTES, true,
                    "protocol");
            if (channel.maxRetransmits() >= 0) {
                w.u16(channel.maxRetransmits());
            }
            if (channel.maxPacketLifeTimeMillis() >= 0) {
                w.u16(channel.maxPacketLifeTimeMillis());
            }
            w.participantId(m.senderId());
            w.u8(m.targets().size());
            for (String target : m.targets()) {
                w.participantId(target);
            }
            w.u32(m.payload().length);
            w.out.writeBytes(m.payload());
        } else if (message instanceof Bye m) {
            w.u8(BYE);
            w.token(m.reason(), "reason");
        }
        return w.out.toByteArray();
    }

    private static void trackPublished(Writer w, TrackPublished m) {
        List<Layer> layers = m.layers();
        if (layers.isEmpty() || layers.size() > MAX_LAYERS) {
            throw new IllegalArgumentException(layers.size() + " layers, not 1-" + MAX_LAYERS);
        }
        if (!ridsValid(layers)) {
            throw new IllegalArgumentException("several layers, not each with a rid of its own: " + layers);
        }
        if (m.source() != null && m.source().kind() != m.kind()) {
            throw new IllegalArgumentException("source " + m.source().wireName() + " of a " + m.kind().sdpName() + " track");
        }
        w.u8(TRACK_PUBLISHED);
        w.room(m.room());
        w.participantId(m.participantId());
        w.string(m.producerId(), 1, MAX_SHORT_STRING_BYTES, false, "producer id");
        w.string(m.mid(), 1, MAX_SHORT_STRING_BYTES, false, "mid");
        w.u8(m.kind() == MediaKind.AUDIO ? KIND_AUDIO : KIND_VIDEO);
        w.u8(m.source() == null ? NO_SOURCE : sourceCode(m.source()));
        w.u8(m.muted() ? FLAG : 0);
        w.u8(layers.size());
        for (Layer layer : layers) {
            w.string(layer.rid(), 1, MAX_SHORT_STRING_BYTES, true, "rid");
            w.u8(layer.rtxSsrc() == Layer.NO_RTX ? 0 : FLAG);
            w.ssrc(layer.ssrc());
            if (layer.rtxSsrc() != Layer.NO_RTX) {
                w.ssrc(layer.rtxSsrc());
            }
        }
    }

    /** One layer may go without a rid; several each need their own. */
    private static boolean ridsValid(List<Layer> layers) {
        if (layers.size() == 1) {
            return true;
        }
        Set<String> rids = new HashSet<>();
        for (Layer layer : layers) {
            if (layer.rid() == null || !rids.add(layer.rid())) {
                return false;
            }
        }
        return true;
    }

    private static int layerBits() {
        return (1 << MAX_LAYERS) - 1;
    }

    private static TrackSource source(int code) {
        return switch (code) {
            case 1 -> TrackSource.MICROPHONE;
            case 2 -> TrackSource.CAMERA;
            case 3 -> TrackSource.SCREEN;
            case 4 -> TrackSource.SCREEN_AUDIO;
            default -> null;
        };
    }

    private static int sourceCode(TrackSource source) {
        return switch (source) {
            case MICROPHONE -> 1;
            case CAMERA -> 2;
            case SCREEN -> 3;
            case SCREEN_AUDIO -> 4;
        };
    }

    /** Node ids and reasons: what can go in a log line or a metric label as it is. */
    private static boolean isTokenChar(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    private static Decoded[] failures() {
        RelayMessageError[] errors = RelayMessageError.values();
        Decoded[] failures = new Decoded[errors.length];
        for (RelayMessageError error : errors) {
            failures[error.ordinal()] = new Decoded(null, error);
        }
        return failures;
    }

    /** A cursor over the message; the first error sticks, and reads after it return nothing. */
    private static final class Reader {
        final byte[] buf;
        final int end;
        int at;
        RelayMessageError error;
        private CharsetDecoder utf8;

        Reader(byte[] buf, int at, int end) {
            this.buf = buf;
            this.at = at;
            this.end = end;
        }

        <T> T fail(RelayMessageError e) {
            if (error == null) {
                error = e;
            }
            return null;
        }

        private boolean has(int n) {
            if (error != null) {
                return false;
            }
            if (end - at < n) {
                fail(RelayMessageError.TRUNCATED);
                return false;
            }
            return true;
        }

        int u8() {
            return has(1) ? buf[at++] & 0xFF : 0;
        }

        int u16() {
            if (!has(2)) {
                return 0;
            }
            int v = (buf[at] & 0xFF) << 8 | buf[at + 1] & 0xFF;
            at += 2;
            return v;
        }

        long u32() {
            if (!has(4)) {
                return 0;
            }
            long v = (buf[at] & 0xFFL) << 24 | (buf[at + 1] & 0xFF) << 16 | (buf[at + 2] & 0xFF) << 8 | buf[at + 3] & 0xFF;
            at += 4;
            return v;
        }

        /** A flags byte of which only 0x01 is defined. */
        int flags() {
            int v = u8();
            if ((v & ~FLAG) != 0) {
                fail(RelayMessageError.RESERVED_FLAGS);
            }
            return v & FLAG;
        }

        String room() {
            return string(2, MAX_ROOM_BYTES, false);
        }

        String participantId() {
            return string(1, MAX_PARTICIPANT_ID_BYTES, false);
        }

        String token() {
            String s = string(1, MAX_TOKEN_BYTES, false);
            if (s != null) {
                for (int i = 0; i < s.length(); i++) {
                    if (!isTokenChar(s.charAt(i))) {
                        return fail(RelayMessageError.BAD_TOKEN);
                    }
                }
            }
            return s;
        }

        /** A string after its 1- or 2-byte length; null for length 0 when {@code nullable}, or on error. */
        String string(int lengthBytes, int max, boolean nullable) {
            int length = lengthBytes == 1 ? u8() : u16();
            if (error != null) {
                return null;
            }
            if (length == 0) {
                return nullable ? null : fail(RelayMessageError.BAD_LENGTH);
            }
            if (length > max) {
                return fail(RelayMessageError.BAD_LENGTH);
            }
            if (!has(length)) {
                return null;
            }
            int start = at;
            at += length;
            boolean ascii = true;
            for (int i = start; i < at && ascii; i++) {
                ascii = buf[i] >= 0;
            }
            if (ascii) {
                return new String(buf, start, length, StandardCharsets.US_ASCII);
            }
            if (utf8 == null) {
                utf8 = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            try {
                return utf8.decode(ByteBuffer.wrap(buf, start, length)).toString();
            } catch (CharacterCodingException e) {
                return fail(RelayMessageError.BAD_UTF8);
            }
        }
    }

    /** Builds a message, refusing any field {@link Reader} would not take back. */
    private static final class Writer {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

        void u8(int v) {
            out.write(v);
        }

        void u16(int v) {
            out.write(v >>> 8);
            out.write(v);
        }

        void u32(long v) {
            out.write((int) (v >>> 24));
            out.write((int) (v >>> 16));
            out.write((int) (v >>> 8));
            out.write((int) v);
        }

        void ssrc(long v) {
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("SSRC " + v + " is not 0-0xFFFFFFFF");
            }
            out.write((int) (v >>> 24));
            out.write((int) (v >>> 16));
            out.write((int) (v >>> 8));
            out.write((int) v);
        }

        void room(String room) {
            string(room, 2, MAX_ROOM_BYTES, false, "room");
        }

        void participantId(String id) {
            string(id, 1, MAX_PARTICIPANT_ID_BYTES, false, "participant id");
        }

        void token(String s, String what) {
            for (int i = 0; i < s.length(); i++) {
                if (!isTokenChar(s.charAt(i))) {
                    throw new IllegalArgumentException(what + " '" + s + "' has a character outside A-Z a-z 0-9 . _ -");
                }
            }
            string(s, 1, MAX_TOKEN_BYTES, false, what);
        }

        void string(String s, int lengthBytes, int max, boolean nullable, String what) {
            if (s == null) {
                if (!nullable) {
                    throw new IllegalArgumentException(what + " is null");
                }
                if (lengthBytes == 1) {
                    u8(0);
                } else {
                    u16(0);
                }
                return;
            }
            byte[] bytes;
            try {
                ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .encode(CharBuffer.wrap(s));
                bytes = new byte[encoded.remaining()];
                encoded.get(bytes);
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException(what + " has a lone surrogate", e);
            }
            if (bytes.length == 0 || bytes.length > max) {
                throw new IllegalArgumentException(what + " of " + bytes.length + " bytes, not 1-" + max
                        + (nullable ? " (null for none)" : ""));
            }
            if (lengthBytes == 1) {
                u8(bytes.length);
            } else {
                u16(bytes.length);
            }
            out.writeBytes(bytes);
        }
    }
}
