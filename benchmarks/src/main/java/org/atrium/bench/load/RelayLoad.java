package org.atrium.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The same load as {@link SfuLoad} through a {@link RawUdpRelay}: each room's publishers'
 * packets go to every other participant of the room, as the SFU forwards them, protected
 * with the room's fixed SRTP key and unprotected by every receiver.
 */
final class RelayLoad implements Load {

    private final LoadOptions options;
    private final Pacer pacer = new Pacer();
    private final RawUdpRelay relay;
    private final List<List<RelayParticipant>> rooms = new ArrayList<>();
    private final List<List<RelayParticipant>> publishers = new ArrayList<>();
    private int subscribersPerRoom;

    RelayLoad(LoadOptions options) throws IOException {
        this.options = options;
        this.relay = new RawUdpRelay();
    }

    @Override
    public String target() {
        return "relay";
    }

    @Override
    public void start() throws IOException {
        SfuParticipant.Role role = new SfuParticipant.Role(options.audio(), options.video());
        for (int room = 0; room < options.rooms(); room++) {
            List<RelayParticipant> members = new ArrayList<>();
            List<RelayParticipant> senders = new ArrayList<>();
            for (int p = 0; p < options.publishers(); p++) {
                RelayParticipant publisher = new RelayParticipant("r" + room + "-pub" + p, relay.address(),
                        RelayParticipant.RoomKey.forRoom(room));
                members.add(publisher);
                senders.add(publisher);
            }
            rooms.add(members);
            publishers.add(senders);
        }
        subscribersPerRoom = 0;
        growSubscribers(options.subscribers());
        for (int room = 0; room < rooms.size(); room++) {
            for (RelayParticipant publisher : publishers.get(room)) {
                publisher.publish(pacer, role, options, relay);
            }
        }
    }

    @Override
    public void growSubscribers(int perRoom) throws IOException {
        for (int room = 0; room < rooms.size(); room++) {
            List<RelayParticipant> members = rooms.get(room);
            for (int s = subscribersPerRoom; s < perRoom; s++) {
                members.add(new RelayParticipant("r" + room + "-sub" + s, relay.address(),
                        RelayParticipant.RoomKey.forRoom(room)));
            }
            for (RelayParticipant publisher : publishers.get(room)) {
                List<InetSocketAddress> others = new ArrayList<>();
                for (RelayParticipant member : members) {
                    if (member != publisher) {
                        others.add(member.address());
                    }
                }
                relay.route(publisher.address(), others.toArray(InetSocketAddress[]::new));
            }
        }
        subscribersPerRoom = perRoom;
    }

    @Override
    public int subscribersPerRoom() {
        return subscribersPerRoom;
    }

    @Override
    public LoadSnapshot snapshot() {
        LoadSnapshot.Builder builder = new LoadSnapshot.Builder();
        for (List<RelayParticipant> members : rooms) {
            for (RelayParticipant member : members) {
                member.addTo(builder);
            }
        }
        builder.serverCpuSeconds = relay.cpuSeconds();
        builder.serverForwarded = relay.sentPackets();
        builder.serverInProcess = true;
        builder.serverThreadIds = java.util.Set.of(relay.threadId());
        return builder.build();
    }

    RawUdpRelay relay() {
        return relay;
    }

    @Override
    public void close() {
        pacer.close();
        relay.close();
        for (List<RelayParticipant> members : rooms) {
            for (RelayParticipant member : members) {
                member.close();
            }
        }
        rooms.clear();
    }
}
