package org.atrium.bench.load;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The load against an Atrium server: synthetic participants in rooms, publishers sending
 * through one {@link Pacer}, and one thread sending everyone's periodic RTCP. With
 * {@code --data-rate}, two more threads send everyone's data messages and run their SCTP
 * timers.
 */
final class SfuLoad implements Load {

    private static final long REPORT_INTERVAL_MILLIS = 1000;
    private static final long DATA_TICK_MILLIS = 5;
    private static final int DATA_THREADS = 2;

    private final LoadOptions options;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Pacer pacer = new Pacer();
    private final ServerProbe probe;
    private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "load-rtcp");
        thread.setDaemon(true);
        return thread;
    });
    /** The data sender and every association's timers; null without data. */
    private final ScheduledExecutorService dataThreads;
    private final List<SfuParticipant> participants = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicIntegerArray joinsPerNode;
    private int subscribersPerRoom;

    SfuLoad(LoadOptions options) {
        this.options = options;
        this.probe = new ServerProbe(client, options.httpUris(), options.serverPids());
        this.joinsPerNode = new AtomicIntegerArray(options.webSocketUris().size());
        reporter.scheduleAtFixedRate(this::sendReports, REPORT_INTERVAL_MILLIS, REPORT_INTERVAL_MILLIS,
                TimeUnit.MILLISECONDS);
        if (options.dataRate() > 0) {
            dataThreads = Executors.newScheduledThreadPool(DATA_THREADS, runnable -> {
                Thread thread = new Thread(runnable, "load-data");
                thread.setDaemon(true);
                return thread;
            });
            dataThreads.scheduleAtFixedRate(this::sendData, DATA_TICK_MILLIS, DATA_TICK_MILLIS, TimeUnit.MILLISECONDS);
        } else {
            dataThreads = null;
        }
    }

    @Override
    public String target() {
        return "sfu";
    }

    @Override
    public void start() throws Exception {
        List<Joining> joins = new ArrayList<>();
        for (int room = 0; room < options.rooms(); room++) {
            for (int p = 0; p < options.publishers(); p++) {
                joins.add(new Joining(room, p, "pub" + p, new SfuParticipant.Role(options.audio(), options.video())));
            }
            for (int s = 0; s < options.subscribers(); s++) {
                joins.add(new Joining(room, options.publishers() + s, "sub" + s, SfuParticipant.Role.SUBSCRIBER));
            }
        }
        joinAll(joins, options.rampUpSeconds());
        subscribersPerRoom = options.subscribers();
    }

    @Override
    public void growSubscribers(int perRoom) throws Exception {
        List<Joining> joins = new ArrayList<>();
        for (int room = 0; room < options.rooms(); room++) {
            for (int s = subscribersPerRoom; s < perRoom; s++) {
                joins.add(new Joining(room, options.publishers() + s, "sub" + s, SfuParticipant.Role.SUBSCRIBER));
            }
        }
        joinAll(joins, 0);
        subscribersPerRoom = perRoom;
    }

    @Override
    public int subscribersPerRoom() {
        return subscribersPerRoom;
    }

    /** Participants sent to each node (index of {@code --url}) so far, joined or not. */
    List<Integer> joinsPerNode() {
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < joinsPerNode.length(); i++) {
            counts.add(joinsPerNode.get(i));
        }
        return counts;
    }

    /** The {@code member}-th participant of {@code room} in join order, publishers first. */
    private record Joining(int room, int member, String name, SfuParticipant.Role role) {
    }

    /** Joins over {@code rampUpSeconds}, then waits for each; a participant that fails is closed and noted. */
    private void joinAll(List<Joining> joins, int rampUpSeconds) throws InterruptedException {
        long start = System.nanoTime();
        long spacing = joins.isEmpty() ? 0 : TimeUnit.SECONDS.toNanos(rampUpSeconds) / joins.size();
        List<SfuParticipant> joined = new ArrayList<>();
        for (int i = 0; i < joins.size(); i++) {
            long wait = start + i * spacing - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Joining join = joins.get(i);
            String room = options.roomPrefix() + "-" + join.room();
            int node = NodeSpread.nodeOf(join.room(), join.member(), options.webSocketUris().size());
            joinsPerNode.incrementAndGet(node);
            try {
                joined.add(SfuParticipant.join(options.webSocketUris().get(node), room, join.name(), join.role(),
                        pacer, options, client, dataThreads));
            } catch (Exception e) {
                failures.add(room + "/" + join.name() + ": " + e);
            }
        }
        for (SfuParticipant participant : joined) {
            try {
                participant.awaitConnected();
                participants.add(participant);
            } catch (Exception e) {
                failures.add(participant.name() + ": " + e.getMessage());
                participant.close();
            }
        }
        if (!failures.isEmpty()) {
            System.err.println("load: " + failures.size() + " participant(s) failed; first: " + failures.get(0));
        }
    }

    @Override
    public List<String> failures() {
        return failures;
    }

    private void sendReports() {
        for (SfuParticipant participant : participants) {
            try {
                participant.sendReports();
            } catch (RuntimeException e) {
                // One participant's failure must not stop the others' reports.
            }
        }
    }

    private void sendData() {
        long now = System.nanoTime();
        for (SfuParticipant participant : participants) {
            try {
                participant.sendData(now);
            } catch (RuntimeException e) {
                // One participant's failure must not stop the others' messages.
            }
        }
    }

    @Override
    public LoadSnapshot snapshot() {
        LoadSnapshot.Builder builder = new LoadSnapshot.Builder();
        for (SfuParticipant participant : participants) {
            participant.addTo(builder);
        }
        probe.addTo(builder);
        builder.serverInProcess = options.serverPids().contains(ProcessHandle.current().pid());
        return builder.build();
    }

    /** Publishers' counts of keyframe requests and NACKs received from the SFU. */
    long[] feedbackReceivedByPublishers() {
        long plis = 0;
        long nacks = 0;
        for (SfuParticipant participant : participants) {
            plis += participant.plisReceived();
            nacks += participant.nacksReceived();
        }
        return new long[] {plis, nacks};
    }

    @Override
    public void close() {
        reporter.shutdownNow();
        if (dataThreads != null) {
            // Participants' associations end with them; a timer they still ask for is refused.
            dataThreads.shutdownNow();
        }
        pacer.close();
        // In parallel: each close waits for the server's close frame and the receive thread.
        ExecutorService closer = Executors.newFixedThreadPool(16);
        for (SfuParticipant participant : participants) {
            closer.execute(participant::close);
        }
        closer.shutdown();
        try {
            closer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closer.shutdownNow();
        participants.clear();
    }
}
