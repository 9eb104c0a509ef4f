package org.atrium.sfu.media;

/**
 * Decides, packet by packet, which encoding and temporal layers of a video one receiver
 * gets, following the target its bandwidth allocation sets.
 *
 * <ul>
 *   <li>A spatial switch (to another encoding) happens at a keyframe of the target
 *       encoding: before it, the receiver could decode nothing of the new stream. Until
 *       then the current encoding keeps flowing. The first encoding forwarded also starts
 *       at a keyframe, except for a track sent as one stream, which is forwarded at once
 *       (as a single-stream SFU does; its receiver asks for a keyframe itself).
 *   <li>A temporal switch happens at the start of a frame: down at once, since the frames
 *       of higher layers are not references of lower ones; up at a frame of the new layer
 *       that has the layer sync bit set (it references the base layer only), or at a
 *       keyframe (RFC 7741 4.2, as libwebrtc sets the bits).
 * </ul>
 *
 * <p>Used by the one thread forwarding to the receiver; the target may be set from any.
 */
final class LayerSelector {

    /** Every temporal layer: no temporal filtering. */
    static final int ALL_TEMPORAL_LAYERS = 3;
    /** Nothing forwarded (the video is paused). */
    static final int NONE = -1;

    enum Decision {
        /** Forward it. */
        FORWARD,
        /** Forward it, as the first packet of a new encoding: rebase the numbering first. */
        SWITCH,
        /** A packet of the current encoding that is not forwarded: close its gap. */
        DROP,
        /** A packet of an encoding not forwarded: not part of the receiver's stream. */
        IGNORE
    }

    private final boolean startAnywhere;
    private volatile int targetSpatial;
    private volatile int targetTemporal = ALL_TEMPORAL_LAYERS;
    private volatile int currentSpatial = NONE;
    private int currentTemporal = ALL_TEMPORAL_LAYERS;
    /** Until the first switch: a single-stream track may start without a keyframe. */
    private boolean started;

    /**
     * @param startAnywhere forward the first encoding from its first packet (a single-stream
     *        track) rather than from a keyframe
     * @param initialSpatial the encoding to start with
     */
    LayerSelector(boolean startAnywhere, int initialSpatial) {
        this.startAnywhere = startAnywhere;
        this.targetSpatial = initialSpatial;
    }

    /** Sets what to forward: an encoding (or {@link #NONE}) and the highest temporal layer. */
    void setTarget(int spatial, int temporal) {
        targetTemporal = Math.max(0, Math.min(ALL_TEMPORAL_LAYERS, temporal));
        targetSpatial = spatial;
    }

    int targetSpatial() {
        return targetSpatial;
    }

    int targetTemporal() {
        return targetTemporal;
    }

    /** The encoding forwarded now, or {@link #NONE}. */
    int currentSpatial() {
        return currentSpatial;
    }

    /** The highest temporal layer forwarded now. */
    int currentTemporal() {
        return currentTemporal;
    }

    /** True while the target encoding differs from the one forwarded: a keyframe of it is wanted. */
    boolean awaitsKeyframe() {
        int target = targetSpatial;
        return target != NONE && target != currentSpatial;
    }

    /**
     * @param spatial the packet's encoding
     * @param parsed false when its payload could not be read: forwarded as it is when it
     *        belongs to the current encoding, never switched on
     */
    Decision decide(int spatial, boolean parsed, boolean keyframe, boolean beginningOfFrame, int temporal,
            boolean layerSync) {
        int target = targetSpatial;
        if (target == NONE) {
            if (currentSpatial != NONE && spatial == currentSpatial) {
                currentSpatial = NONE;
            }
            return Decision.IGNORE;
        }
        if (spatial != currentSpatial) {
            boolean start = !started && startAnywhere;
            if (spatial == target && (start || parsed && keyframe && beginningOfFrame)) {
                started = true;
                currentSpatial = spatial;
                currentTemporal = targetTemporal;
                return Decision.SWITCH;
            }
            return Decision.IGNORE;
        }
        if (!parsed) {
            return Decision.FORWARD;
        }
        if (beginningOfFrame) {
            int wanted = targetTemporal;
            if (keyframe || wanted < currentTemporal) {
                currentTemporal = wanted;
            } else if (wanted > currentTemporal && temporal > currentTemporal && temporal <= wanted && layerSync) {
                currentTemporal = temporal;
            }
        }
        // Each packet names its layer, so a frame's later packets follow its first even
        // when they arrive before it.
        return temporal <= currentTemporal ? Decision.FORWARD : Decision.DROP;
    }
}
