package org.atrium.bench.load;

/** A running load against one target (the SFU or the raw relay) that can be measured and grown. */
interface Load extends AutoCloseable {

    /** "sfu" or "relay". */
    String target();

    /** Joins every publisher and subscriber of the options (over the ramp-up) and waits until they are up. */
    void start() throws Exception;

    /** Adds subscribers until each room has {@code perRoom}; waits until they are up. */
    void growSubscribers(int perRoom) throws Exception;

    /** Participants that could not join or connect so far, each with its reason. */
    default java.util.List<String> failures() {
        return java.util.List.of();
    }

    /** Subscribers per room now. */
    int subscribersPerRoom();

    LoadSnapshot snapshot();

    @Override
    void close();
}
