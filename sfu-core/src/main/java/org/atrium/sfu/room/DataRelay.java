package org.atrium.sfu.room;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.atrium.sctp.DataChannelInfo;
import org.atrium.sfu.data.DataChannels;
import org.atrium.sfu.data.DataDropReason;
import org.atrium.sfu.data.DataEnvelope;
import org.atrium.sfu.stats.DataMetrics;

/**
 * Relays a room's data-channel messages: each message a participant sends goes to the
 * participants its envelope names, or to every other member, in an envelope that names the
 * sender ({@link DataEnvelope}). A text message (string PPID) has no envelope: it is for the
 * whole room, which lets the simplest client chat with {@code channel.send("hi")}.
 *
 * <p>Runs on the sender's DTLS thread; each receiver's association bounds what waits for it
 * ({@link DataChannels}), so a slow receiver costs the sender nothing.
 */
final class DataRelay {

    private final Room room;
    private final DataMetrics metrics;

    DataRelay(Room room, DataMetrics metrics) {
        this.room = room;
        this.metrics = metrics;
    }

    void relay(Participant sender, DataChannelInfo channel, boolean binary, byte[] message) {
        if (!sender.admission().maySendData()) {
            refuse(sender, channel, DataDropReason.NOT_ALLOWED);
            return;
        }
        int flags;
        List<String> targets;
        int payloadOffset;
        if (binary) {
            DataEnvelope.Incoming envelope = DataEnvelope.read(message);
            if (envelope == null) {
                refuse(sender, channel, DataDropReason.BAD_ENVELOPE);
                return;
            }
            flags = envelope.flags();
            targets = envelope.targets();
            payloadOffset = envelope.payloadOffset();
        } else {
            flags = DataEnvelope.FLAG_TEXT;
            targets = List.of();
            payloadOffset = 0;
        }
        byte[] out = DataEnvelope.fromSender(flags, sender.id(), message, payloadOffset, message.length - payloadOffset);
        if (targets.isEmpty()) {
            for (Participant member : room.participants()) {
                if (member != sender) {
                    deliver(member, channel, out);
                }
            }
            if (sender.admission().listed()) {
                List<RoomLink> links = room.links();
                byte[] payload = links.isEmpty() ? null : Arrays.copyOfRange(message, payloadOffset, message.length);
                for (RoomLink link : links) {
                    link.data(sender, channel, (flags & DataEnvelope.FLAG_TEXT) != 0, List.of(), payload);
                }
            }
            return;
        }
        Set<String> unique = new LinkedHashSet<>(targets);
        Map<RoomLink, List<String>> remote = new LinkedHashMap<>();
        for (String target : unique) {
            Participant member = room.member(target);
            RoomLink link = member == null && sender.admission().listed() ? room.linkOf(target) : null;
            if (link != null) {
                remote.computeIfAbsent(link, l -> new ArrayList<>()).add(target);
            } else if (member == null || member == sender) {
                refuse(sender, channel, DataDropReason.UNKNOWN_TARGET);
            } else {
                deliver(member, channel, out);
            }
        }
        // Once per node, naming that node's targets: the message crosses each link once.
        if (!remote.isEmpty()) {
            byte[] payload = Arrays.copyOfRange(message, payloadOffset, message.length);
            for (Map.Entry<RoomLink, List<String>> entry : remote.entrySet()) {
                entry.getKey().data(sender, channel, (flags & DataEnvelope.FLAG_TEXT) != 0, entry.getValue(), payload);
            }
        }
    }

    /**
     * A message that came over a link from a member of another node: in an envelope naming its
     * sender, to the participants of this node it names (others are not here: dropped as
     * unknown), or to all of them.
     */
    void deliverFromLink(DataChannelInfo channel, String senderId, boolean text, List<String> targets,
            byte[] payload) {
        byte[] envelope = DataEnvelope.fromSender(text ? DataEnvelope.FLAG_TEXT : 0, senderId, payload, 0,
                payload.length);
        if (targets.isEmpty()) {
            for (Participant member : room.participants()) {
                deliver(member, channel, envelope);
            }
            return;
        }
        for (String target : new LinkedHashSet<>(targets)) {
            Participant member = room.member(target);
            if (member == null) {
                metrics.dropped(DataDropReason.UNKNOWN_TARGET);
            } else {
                deliver(member, channel, envelope);
            }
        }
    }

    private void deliver(Participant receiver, DataChannelInfo channel, byte[] envelope) {
        DataChannels channels = receiver.data();
        if (channels == null) {
            metrics.dropped(DataDropReason.RECEIVER_NOT_CONNECTED);
        } else {
            channels.deliver(channel, envelope);
        }
    }

    private void refuse(Participant sender, DataChannelInfo channel, DataDropReason reason) {
        metrics.dropped(reason);
        sender.dataRefused(channel.label(), reason.label());
    }
}
