package org.atrium.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.atrium.sfu.client.PeerDataChannels;
import org.atrium.sfu.data.DataChannels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The data load's schedule and its receiver's accounting, without a network. */
class DataTrafficTest {

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** An association that is never connected: sends are queued, nothing leaves. */
    private final PeerDataChannels channels = new PeerDataChannels(DataChannels.config(5000), true,
            (b, off, len) -> true, null);

    @AfterEach
    void close() {
        channels.close(false);
    }

    private static LoadSnapshot snapshot(DataTraffic traffic) {
        LoadSnapshot.Builder builder = new LoadSnapshot.Builder();
        traffic.addTo(builder);
        return builder.build();
    }

    @Test
    void sendsAtTheRateCatchesUpInBoundedBurstsAndRestartsAfterALongStall() {
        DataTraffic traffic = new DataTraffic(channels, 100, 64);
        traffic.open();
        long t0 = 1_000_000_000_000L;
        traffic.sendDue(t0);
        assertEquals(0, snapshot(traffic).dataSent(), "nothing before start");
        traffic.startAt(t0);
        traffic.sendDue(t0 + 95_000_000L);
        assertEquals(10, snapshot(traffic).dataSent(), "due at 0, 10, ... 90 ms");
        traffic.sendDue(t0 + 95_000_000L);
        assertEquals(10, snapshot(traffic).dataSent(), "nothing more is due");
        // 900 ms behind: caught up, at most 50 in one call.
        traffic.sendDue(t0 + 995_000_000L);
        assertEquals(60, snapshot(traffic).dataSent());
        traffic.sendDue(t0 + 995_000_000L);
        assertEquals(100, snapshot(traffic).dataSent());
        // Over a second behind: the schedule starts again from now.
        traffic.sendDue(t0 + 5_000_000_000L);
        assertEquals(101, snapshot(traffic).dataSent());
        assertEquals(0, snapshot(traffic).dataSendRefused());
    }

    private static PeerDataChannels.Message message(String label, String sender, long sequence, long sentNanos,
            long receivedNanos) {
        byte[] payload = new byte[DataTraffic.MIN_SIZE + 4];
        LONG.set(payload, DataTraffic.SEND_TIME_OFFSET, sentNanos);
        LONG.set(payload, DataTraffic.SEQUENCE_OFFSET, sequence);
        return new PeerDataChannels.Message(label, 0, sender, false, payload, receivedNanos);
    }

    @Test
    void gapsInEachSendersSequenceAreLostAndDelaysAreMeasured() {
        DataTraffic traffic = new DataTraffic(channels, 10, 20);
        long t = 5_000_000_000L;
        // The first message seen from a sender starts its count, as for a receiver that joined late.
        traffic.onMessage(message("load", "a", 5, t, t + 2_000_000));
        traffic.onMessage(message("load", "a", 6, t, t + 2_000_000));
        traffic.onMessage(message("load", "a", 9, t, t + 2_000_000));
        traffic.onMessage(message("load", "b", 0, t, t + 4_000_000));
        // Not load traffic: another channel, no sender, too short.
        traffic.onMessage(message("chat", "a", 7, t, t));
        traffic.onMessage(message("load", null, 7, t, t));
        traffic.onMessage(new PeerDataChannels.Message("load", 0, "a", false, new byte[8], t));

        LoadSnapshot s = snapshot(traffic);
        assertEquals(4, s.dataReceived());
        assertEquals(4 * 20, s.dataReceivedBytes());
        assertEquals(5 + 1, s.dataExpected(), "a: 5 to 9, b: 0");
        assertEquals(2, s.dataLost(), "a's 7 and 8");
        assertEquals(4000, s.dataMaxDelayMicros());
        double p50 = DelayHistogram.quantile(s.dataDelayCounts(), 0.5);
        assertEquals(2000, p50, 2000 * 0.05);
    }
}
