package org.atrium.sfu.room;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.atrium.sfu.media.Producer;

/**
 * A member of the room whose media connects to another node of the cluster: what that node
 * told this one of it over their relay link. Its producers are fed by the link and fan out
 * to this node's participants like any other.
 */
public final class RemoteMember implements Member {

    private final String id;
    private final String displayName;
    private final String identity;
    private final String nodeId;
    private final Map<String, TrackSource> sources = new ConcurrentHashMap<>();
    private final Set<TrackSource> muted = ConcurrentHashMap.newKeySet();
    /** Changed under the room's lock. */
    private final List<Producer> producers = new CopyOnWriteArrayList<>();

    RemoteMember(String id, String displayName, String identity, String nodeId) {
        this.id = Objects.requireNonNull(id, "id");
        this.displayName = displayName;
        this.identity = identity;
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public String identity() {
        return identity;
    }

    /** Only listed members cross a link. */
    @Override
    public boolean isListed() {
        return true;
    }

    @Override
    public TrackSource sourceOf(String mid) {
        return sources.get(mid);
    }

    @Override
    public boolean isMuted(TrackSource source) {
        return muted.contains(source);
    }

    @Override
    public Set<TrackSource> mutedSources() {
        return Set.copyOf(muted);
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public List<Producer> producers() {
        return List.copyOf(producers);
    }

    void describeTrack(String mid, TrackSource source) {
        if (source == null) {
            sources.remove(mid);
        } else {
            sources.put(mid, source);
        }
    }

    /** True when the state changed. */
    boolean updateMuted(TrackSource source, boolean mute) {
        return mute ? muted.add(source) : muted.remove(source);
    }

    void addProducer(Producer producer) {
        producers.add(producer);
    }

    void removeProducer(Producer producer) {
        producers.remove(producer);
    }

    @Override
    public String toString() {
        return "RemoteMember[" + id + "@" + nodeId + "]";
    }
}
