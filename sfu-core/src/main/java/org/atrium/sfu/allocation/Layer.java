package org.atrium.sfu.allocation;

/**
 * One forwardable layer of a source: a simulcast encoding (spatial, 0 = the smallest) and
 * the temporal layers up to {@code temporal} within it. Audio has the single layer (0, 0).
 */
public record Layer(int spatial, int temporal) implements Comparable<Layer> {

    /** What a paused subscription forwards: nothing. */
    public static final Layer NONE = new Layer(-1, -1);

    public Layer {
        if (spatial < -1 || temporal < -1 || (spatial == -1) != (temporal == -1)) {
            throw new IllegalArgumentException("bad layer S" + spatial + "T" + temporal);
        }
    }

    /** Spatial first: any temporal layer of a larger encoding is above every one of a smaller. */
    @Override
    public int compareTo(Layer other) {
        int bySpatial = Integer.compare(spatial, other.spatial);
        return bySpatial != 0 ? bySpatial : Integer.compare(temporal, other.temporal);
    }

    @Override
    public String toString() {
        return this.equals(NONE) ? "none" : "S" + spatial + "T" + temporal;
    }
}
