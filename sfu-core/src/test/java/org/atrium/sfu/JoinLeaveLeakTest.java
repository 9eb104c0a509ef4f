package org.atrium.sfu;

import static org.atrium.sfu.peer.RtpPacketBuilder.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.atrium.sfu.media.Consumer;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.transport.IceAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 1000 join/leave cycles against one server leave its threads, heap after GC, file
 * descriptors and ICE sessions where they were. Every tenth cycle goes all the way:
 * ICE, DTLS, SRTP, a published track forwarded to a resident receiver; the others
 * leave while ICE is still checking, the other place where a session could be lost.
 */
@Timeout(600)
class JoinLeaveLeakTest {

    private static final int CYCLES = 1000;
    private static final int WARM_UP = 20;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long HEAP_SLACK_BYTES = 16L << 20;
    private static final int THREAD_SLACK = 8;
    private static final int FD_SLACK = 8;

    private record Usage(int threads, long heapBytes, long fileDescriptors, int iceSessions, int participants) {
        @Override
        public String toString() {
            return threads + " threads, " + heapBytes / 1024 + " KiB heap after GC, " + fileDescriptors
                    + " file descriptors, " + iceSessions + " ICE sessions, " + participants + " participants";
        }
    }

    @Test
    void thousandJoinLeaveCyclesLeaveThreadsHeapFilesAndIceSessionsAtBaseline() throws Exception {
        try (SfuFixture fixture = new SfuFixture()) {
            Sfu sfu = fixture.sfu();
            PeerInRoom resident = fixture.connected("room", "resident");
            for (int i = 0; i < WARM_UP; i++) {
                cycle(sfu, resident, i);
            }
            Usage baseline = usage(sfu);
            long started = System.nanoTime();
            for (int i = WARM_UP; i < WARM_UP + CYCLES; i++) {
                cycle(sfu, resident, i);
            }
            long cycling = System.nanoTime();
            Usage after = settledUsage(sfu, baseline);
            System.out.printf("%d cycles in %d ms, settled in %d ms; before: %s; after: %s; %d pacers of freed"
                    + " ICE agents stopped; threads by name: %s%n", CYCLES, (cycling - started) / 1_000_000,
                    (System.nanoTime() - cycling) / 1_000_000, baseline, after, IceAgent.stoppedPacers(),
                    threadNames());
            if (resident.participant().isClosed()) {
                throw new AssertionError("the resident was removed: " + resident.listener().awaitClosed(Duration.ZERO));
            }

            assertEquals(1, after.participants(), "only the resident is left");
            assertEquals(baseline.iceSessions(), after.iceSessions(), "ICE sessions");
            assertTrue(after.threads() <= baseline.threads() + THREAD_SLACK, "threads: " + after + " vs " + baseline);
            assertTrue(after.fileDescriptors() <= baseline.fileDescriptors() + FD_SLACK,
                    "file descriptors: " + after + " vs " + baseline);
            assertTrue(after.heapBytes() <= baseline.heapBytes() + HEAP_SLACK_BYTES,
                    "heap after GC: " + after + " vs " + baseline);
        }
    }

    /** One participant joins and leaves; every tenth connects and has a packet forwarded. */
    private static void cycle(Sfu sfu, PeerInRoom resident, int i) throws Exception {
        if (i % 10 == 0) {
            try (PeerInRoom visitor = PeerInRoom.joinConnected(sfu, "room", "visitor-" + i)) {
                long ssrc = 0x10000L + i;
                visitor.participant().publish("0", MediaKind.VIDEO, ssrc, -1);
                Consumer consumer = resident.listener().nextConsumerAdded(WAIT);
                assertNotNull(consumer, "cycle " + i);
                consumer.resume();
                visitor.peer().sendRtp(rtp(ssrc, 96).sequenceNumber(1).timestamp(1)
                        .payload(new byte[] {0x10, 1, 2, 3}).build());
                if (resident.peer().pollRtp(WAIT) == null) {
                    StringBuilder drops = new StringBuilder();
                    for (org.atrium.sfu.stats.DropReason reason : org.atrium.sfu.stats.DropReason.values()) {
                        drops.append(reason).append('=').append(sfu.metrics().drops(reason)).append(' ');
                    }
                    throw new AssertionError("cycle " + i + ": nothing forwarded; " + drops + "; consumer "
                            + consumer + " resumed " + consumer.isResumed() + " packets " + consumer.packetCount()
                            + "; producer packets " + visitor.participant().producers().get(0).packetCount()
                            + "; rtp received " + sfu.metrics().rtpPacketsReceived());
                }
            }
            resident.listener().nextParticipantLeft(WAIT);
        } else {
            try (PeerInRoom visitor = PeerInRoom.join(sfu, "room", "visitor-" + i)) {
                visitor.startBothSides();
            }
            resident.listener().nextParticipantLeft(WAIT);
        }
        resident.peer().clearReceived();
        resident.listener().clear();
        if (resident.participant().isClosed()) {
            throw new AssertionError("cycle " + i + ": the resident was removed: "
                    + resident.listener().awaitClosed(Duration.ZERO));
        }
    }

    /** Usage once idle pools have had a moment to shrink; measured until it stops falling. */
    private static Usage settledUsage(Sfu sfu, Usage baseline) throws Exception {
        Usage usage = usage(sfu);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!withinSlack(usage, baseline) && System.nanoTime() < deadline) {
            Thread.sleep(2000);
            usage = usage(sfu);
        }
        return usage;
    }

    private static boolean withinSlack(Usage usage, Usage baseline) {
        return usage.iceSessions() == baseline.iceSessions()
                && usage.threads() <= baseline.threads() + THREAD_SLACK
                && usage.fileDescriptors() <= baseline.fileDescriptors() + FD_SLACK
                && usage.heapBytes() <= baseline.heapBytes() + HEAP_SLACK_BYTES;
    }

    /** Live threads by name with digits dropped, counted: what a leak would be made of. */
    private static java.util.Map<String, Long> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().collect(java.util.stream.Collectors.groupingBy(
                t -> t.getName().replaceAll("[0-9]+", "#"), java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
    }

    private static Usage usage(Sfu sfu) throws IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long fds;
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            fds = entries.count();
        }
        return new Usage(ManagementFactory.getThreadMXBean().getThreadCount(), heap, fds, sfu.iceSessionCount(),
                sfu.rooms().participantCount());
    }
}
