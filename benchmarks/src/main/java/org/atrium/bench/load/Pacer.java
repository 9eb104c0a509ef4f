package org.atrium.bench.load;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread that sends every publisher's packets when they are due, so that the load
 * generator's sending costs one core at most and its timing does not depend on how many
 * publishers there are. Streams are added and removed from any thread.
 */
final class Pacer implements AutoCloseable {

    private static final long MAX_PARK_NANOS = 2_000_000L;

    private final Thread thread;
    private volatile SyntheticStream[] streams = new SyntheticStream[0];
    private volatile boolean running = true;

    Pacer() {
        thread = new Thread(this::run, "load-pacer");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    /** Starts sending the stream now, with a random phase so that streams do not align. */
    synchronized void add(SyntheticStream stream, long phaseNanos) {
        stream.nextDueNanos = System.nanoTime() + phaseNanos;
        SyntheticStream[] current = streams;
        SyntheticStream[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = stream;
        streams = next;
    }

    synchronized void remove(SyntheticStream stream) {
        streams = Arrays.stream(streams).filter(s -> s != stream).toArray(SyntheticStream[]::new);
    }

    private void run() {
        while (running) {
            long now = System.nanoTime();
            long nextDue = now + MAX_PARK_NANOS;
            for (SyntheticStream stream : streams) {
                long due = stream.nextDueNanos;
                if (due - now <= 0) {
                    try {
                        due = stream.emit(now);
                    } catch (RuntimeException e) {
                        // A peer closing under us (IllegalStateException): drop that stream.
                        remove(stream);
                        continue;
                    }
                }
                if (due - nextDue < 0) {
                    nextDue = due;
                }
            }
            long wait = nextDue - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
