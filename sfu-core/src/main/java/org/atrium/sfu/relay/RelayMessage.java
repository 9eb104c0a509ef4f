package org.atrium.sfu.relay;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.room.TrackSource;

/**
 * An event one node tells another over the data channel of their relay link
 * (docs/cluster.md, "Events across the link"). One link joins a pair of nodes and carries every
 * room they share: each event of a room names it ({@link RoomScoped}). {@link RelayMessageCodec}
 * gives the bytes of each and the limits of every field; the constructors only refuse nulls where
 * a field has no "none", so that a decoder can build any message whose fields it has checked.
 */
public sealed interface RelayMessage {

    /** The version of this protocol, the one {@link Hello} carries. */
    int VERSION = 1;

    /** A message about one room, for the receiver to hand to its side of that room. */
    sealed interface RoomScoped extends RelayMessage {
        /** The name of the room it is about. */
        String room();
    }

    /**
     * The first message each side sends.
     *
     * @param version the protocol version the sender speaks, {@link #VERSION}
     * @param nodeId  the sender's node id
     */
    record Hello(int version, String nodeId) implements RelayMessage {
        public Hello {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /**
     * The sender has members of this room and wants the other node's: from now on each side tells
     * the other of its members and tracks in it.
     */
    record RoomOpen(String room) implements RoomScoped {
        public RoomOpen {
            Objects.requireNonNull(room, "room");
        }
    }

    /** The sender has no member of this room any more. */
    record RoomClosed(String room) implements RoomScoped {
        public RoomClosed {
            Objects.requireNonNull(room, "room");
        }
    }

    /**
     * A participant joined the room on the sending node.
     *
     * @param displayName the name shown to the others, or null
     * @param identity    the identity its join token named, or null
     */
    record MemberJoined(String room, String participantId, String displayName, String identity) implements RoomScoped {
        public MemberJoined {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(participantId, "participantId");
        }
    }

    /**
     * A participant of the sending node left the room.
     *
     * @param reason a short wire name, such as {@code left} or {@code ice-failed}
     */
    record MemberLeft(String room, String participantId, String reason) implements RoomScoped {
        public MemberLeft {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(participantId, "participantId");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A producer of the sending node's participant, which the sending node will send over the link.
     *
     * @param source what the track carries, or null when its participant never said
     * @param layers its simulcast layers, lowest first, with their SSRCs on the link (1 to 3;
     *               one without a rid for a track that is not simulcast)
     */
    record TrackPublished(String room, String participantId, String producerId, String mid, MediaKind kind,
                          TrackSource source, boolean muted, List<Layer> layers) implements RoomScoped {

        public TrackPublished {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(participantId, "participantId");
            Objects.requireNonNull(producerId, "producerId");
            Objects.requireNonNull(mid, "mid");
            Objects.requireNonNull(kind, "kind");
            layers = List.copyOf(layers);
        }

        /**
         * One layer of a producer as it crosses the link.
         *
         * @param rid     its RTP stream id, null for a track that is not simulcast
         * @param ssrc    the sending node's SSRC for it on the link, 0 to 0xFFFFFFFF
         * @param rtxSsrc the SSRC of its retransmissions on the link, or -1 when it has none
         */
        public record Layer(String rid, long ssrc, long rtxSsrc) {
            public static final long NO_RTX = -1;
        }
    }

    /** A producer of the sending node is gone; nothing more comes for its SSRCs. */
    record TrackClosed(String room, String producerId) implements RoomScoped {
        public TrackClosed {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(producerId, "producerId");
        }
    }

    /** A participant of the sending node muted or unmuted a source. */
    record Muted(String room, String participantId, TrackSource source, boolean muted) implements RoomScoped {
        public Muted {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(participantId, "participantId");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * The layers of a producer of the receiving node that the sending node's receivers need.
     *
     * @param layerMask bit i set: layer i (lowest first) is wanted; 0: none is
     */
    record LayerDemand(String room, String producerId, int layerMask) implements RoomScoped {
        public LayerDemand {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(producerId, "producerId");
        }

        public boolean wants(int layer) {
            return (layerMask & (1 << layer)) != 0;
        }
    }

    /**
     * A data-channel message of a participant of the sending node, for the receiving node to
     * deliver to its own participants of the room in a {@link org.atrium.sfu.data.DataEnvelope}, on their
     * channel of the same kind.
     *
     * @param channel the kind of channel it was sent on
     * @param targets the participant ids it is for, empty for every participant of the room on the receiving node
     * @param text    whether the sender marked the payload as text
     * @param payload the message; the record holds this array, which nobody writes to afterwards
     */
    record Data(String room, Channel channel, String senderId, List<String> targets, boolean text, byte[] payload)
            implements RoomScoped {

        public Data {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(senderId, "senderId");
            targets = List.copyOf(targets);
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && room.equals(d.room) && channel.equals(d.channel)
                    && senderId.equals(d.senderId) && targets.equals(d.targets) && text == d.text
                    && Arrays.equals(payload, d.payload);
        }

        @Override
        public int hashCode() {
            return Objects.hash(room, channel, senderId, targets, text, Arrays.hashCode(payload));
        }

        @Override
        public String toString() {
            return "Data[room=" + room + ", channel=" + channel + ", senderId=" + senderId + ", targets=" + targets
                    + ", text=" + text + ", payload=" + payload.length + " bytes]";
        }
    }

    /**
     * The kind of a data channel: what a receiver's channel must match for a message to travel
     * on it (label, sub-protocol, and how reliable it is).
     *
     * @param maxRetransmits          -1 when not limited by retransmissions
     * @param maxPacketLifeTimeMillis -1 when not limited by time (at most one of the two is set)
     */
    record Channel(String label, String protocol, boolean ordered, int maxRetransmits, int maxPacketLifeTimeMillis) {

        public Channel {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(protocol, "protocol");
        }

        /** The kind of a participant's channel. */
        public static Channel of(org.atrium.sctp.DataChannelInfo info) {
            org.atrium.sctp.ChannelOptions o = info.options();
            return new Channel(info.label(), info.protocol(), o.ordered(), o.maxRetransmits(),
                    o.maxPacketLifeTimeMillis());
        }

        /** A channel description of this kind, to deliver on (its stream id means nothing). */
        public org.atrium.sctp.DataChannelInfo toInfo() {
            return new org.atrium.sctp.DataChannelInfo(0, label, protocol, new org.atrium.sctp.ChannelOptions(ordered,
                    maxRetransmits, maxPacketLifeTimeMillis, org.atrium.sctp.ChannelOptions.NORMAL_PRIORITY, -1));
        }
    }

    /**
     * The sending node closes the link.
     *
     * @param reason a short wire name, such as {@code shutdown} or {@code version}
     */
    record Bye(String reason) implements RelayMessage {
        public Bye {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
