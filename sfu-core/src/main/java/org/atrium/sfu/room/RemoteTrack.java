package org.atrium.sfu.room;

import java.util.List;
import java.util.Objects;
import org.atrium.sfu.media.MediaKind;

/**
 * A track of another node's member, as the relay link from that node describes it.
 *
 * @param producerId its producer's id, the same on every node
 * @param mid        the m-section it arrives in at its publisher's node
 * @param kind       audio or video
 * @param source     what it carries, or null when its publisher did not say
 * @param layers     its encodings from the lowest resolution up, as SSRCs on the link
 */
public record RemoteTrack(String producerId, String mid, MediaKind kind, TrackSource source, List<Layer> layers) {

    /**
     * One encoding on the link.
     *
     * @param rid     its RID, or null for a track sent as one stream
     * @param ssrc    its SSRC on the link
     * @param rtxSsrc its retransmissions' SSRC on the link, or -1
     */
    public record Layer(String rid, long ssrc, long rtxSsrc) {
    }

    public RemoteTrack {
        Objects.requireNonNull(producerId, "producerId");
        Objects.requireNonNull(mid, "mid");
        Objects.requireNonNull(kind, "kind");
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a track has at least one layer");
        }
        boolean simulcast = layers.get(0).rid() != null;
        for (Layer layer : layers) {
            if ((layer.rid() != null) != simulcast) {
                throw new IllegalArgumentException("every layer or none has a RID");
            }
        }
        if (!simulcast && layers.size() > 1) {
            throw new IllegalArgumentException("several layers without RIDs");
        }
    }

    /** The RIDs of its encodings, empty for a track sent as one stream. */
    public List<String> rids() {
        if (layers.get(0).rid() == null) {
            return List.of();
        }
        return layers.stream().map(Layer::rid).toList();
    }
}
