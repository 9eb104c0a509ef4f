package org.atrium.sfu.util;

import org.slf4j.MDC;

/**
 * The room and participant a log line is about, put into SLF4J's MDC (keys
 * {@code room} and {@code participant}) around the code that logs, so that log
 * aggregation can filter by them. Used around events, never per packet.
 */
public record LogContext(String room, String participant) {

    public static final String ROOM = "room";
    public static final String PARTICIPANT = "participant";

    /** A scope that restores the thread's previous values when closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Sets the MDC until the returned scope is closed. */
    public Scope open() {
        String previousRoom = MDC.get(ROOM);
        String previousParticipant = MDC.get(PARTICIPANT);
        put(ROOM, room);
        put(PARTICIPANT, participant);
        return () -> {
            put(ROOM, previousRoom);
            put(PARTICIPANT, previousParticipant);
        };
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }
}
