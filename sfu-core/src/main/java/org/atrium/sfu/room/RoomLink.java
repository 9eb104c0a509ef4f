package org.atrium.sfu.room;

import java.util.List;
import org.atrium.sctp.DataChannelInfo;
import org.atrium.sfu.media.Producer;

/**
 * A room's link to another node that has members of the same room: the room tells it what
 * happens to this node's own members, for the other node to show them. Every method is
 * called under the room's lock and must return at once (queue, never block or call back).
 */
public interface RoomLink {

    /** The node at the other end. */
    String remoteNodeId();

    /** A listed participant of this node joined (or was here when the link was attached). */
    void memberJoined(Participant member);

    void memberLeft(Participant member, LeaveReason reason);

    /** A participant of this node published a track (or had when the link was attached). */
    void trackPublished(Participant owner, Producer producer);

    /** A track of this node's participants ended. */
    void trackClosed(Participant owner, Producer producer);

    void muted(Participant owner, TrackSource source, boolean muted);

    /**
     * A data-channel message of a participant of this node, for members of the other node.
     *
     * @param channel the channel it was sent on: the receivers get it on theirs of that kind
     * @param targets the ids it is for on that node, or empty for all of them
     * @param payload the message without its envelope; the callee may keep the array
     */
    void data(Participant sender, DataChannelInfo channel, boolean text, List<String> targets, byte[] payload);

    /** The room closed (its last participant of this node left): the link ends. */
    void roomClosed();

    /**
     * Which encodings of a simulcast track of the other node this node's receivers need now
     * (bit i: encoding i), for the other node to send only those; told when it changes.
     */
    default void layerDemand(Producer remoteProducer, int mask) {
    }

    /**
     * Which encodings of this node's simulcast tracks the other node's receivers need: the
     * highest needed, by producer id; a track it has not said anything of needs every encoding.
     */
    default java.util.Map<String, Integer> demandedLayers() {
        return java.util.Map.of();
    }
}
