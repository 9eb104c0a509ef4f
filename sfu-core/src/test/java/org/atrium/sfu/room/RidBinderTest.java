package org.atrium.sfu.room;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.atrium.rtp.RtpPacket;
import org.atrium.sfu.media.MediaCapabilities;
import org.atrium.sfu.media.MediaKind;
import org.atrium.sfu.media.PacketSink;
import org.atrium.sfu.media.Producer;
import org.atrium.sfu.stats.SfuMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which encoding a packet of a new SSRC binds to, from its RID, repaired-RID and MID
 * extensions (RFC 8852, RFC 8843): a participant publishing simulcast video in mid 1
 * (RIDs q, h, f) and plain audio in mid 0.
 */
class RidBinderTest {

    private static final int MID = 4;
    private static final int RID = 10;
    private static final int REPAIRED_RID = 11;

    private ScheduledExecutorService timers;
    private Producer[] producers;
    private final RidBinder binder = new RidBinder(MediaCapabilities.defaults());

    @BeforeEach
    void publisher() {
        timers = Executors.newSingleThreadScheduledExecutor();
        SfuMetrics metrics = new SfuMetrics(new SimpleMeterRegistry());
        PacketSink none = new PacketSink() {
            @Override
            public boolean sendRtp(byte[] buf, int off, int len) {
                return true;
            }

            @Override
            public boolean sendRtcp(byte[] buf, int off, int len) {
                return true;
            }
        };
        MediaCapabilities capabilities = MediaCapabilities.defaults();
        Producer audio = new Producer("p-0", "p", "0", MediaKind.AUDIO, 500, -1, none, 9, 1_000_000, timers, metrics,
                capabilities, 64, 1_000_000_000L);
        Producer video = new Producer("p-1", "p", "1", MediaKind.VIDEO, Producer.UNKNOWN_SSRC, Producer.UNKNOWN_SSRC,
                List.of("q", "h", "f"), none, 9, 1_000_000, timers, metrics, capabilities, 64, 1_000_000_000L);
        producers = new Producer[] {audio, video};
    }

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
        # name; packets (ssrc/mid/rid/rrid, '-' for none); outcome of the last; encoding bound (rid=ssrc/rtx)
        media of a RID, with its MID;              1/1/h/-;                   MEDIA;       h=1/-1
        media of a RID, without a MID;             1/-/f/-;                   MEDIA;       f=1/-1
        RTX names the encoding it repairs;         7/1/-/q;                   REPAIR;      q=-1/7
        a RID that was not offered;                1/1/x/-;                   UNKNOWN_RID; -
        a MID that sends no simulcast;             1/0/q/-;                   UNKNOWN_RID; -
        an unknown MID;                            1/9/q/-;                   UNKNOWN_RID; -
        no RID at all;                             1/1/-/-;                   NO_RID;      -
        another SSRC for a sending encoding;       1/1/h/- 2/1/h/-;           CONFLICT;    h=1/-1
        the same SSRC again binds again;           1/1/h/- 1/1/h/-;           MEDIA;       h=1/-1
        """)
    void bindsFromTheExtensions(String name, String packets, RidBinder.Outcome outcome, String bound) {
        RidBinder.Outcome last = null;
        for (String packet : packets.trim().split("\\s+")) {
            String[] f = packet.split("/");
            byte[] bytes = packet(Long.parseLong(f[0]), f[1], f[2], f[3]);
            last = binder.bind(producers, bytes, 0, bytes.length, Long.parseLong(f[0]), System.nanoTime());
            if (last == RidBinder.Outcome.MEDIA) {
                // A packet of the bound encoding: it is sending.
                binder.boundProducer().forward(binder.boundStream(), bytes, 0, bytes.length, System.nanoTime());
            }
        }
        assertEquals(outcome, last);
        if (!bound.equals("-")) {
            String rid = bound.substring(0, 1);
            String[] ssrcs = bound.substring(2).split("/");
            assertEquals(Long.parseLong(ssrcs[0]), producers[1].streamByRid(rid).ssrc());
            assertEquals(Long.parseLong(ssrcs[1]), producers[1].streamByRid(rid).rtxSsrc());
        }
    }

    @org.junit.jupiter.api.Test
    void anEncodingSilentForASecondMayTakeANewSsrc() throws Exception {
        byte[] first = packet(1, "1", "h", "-");
        binder.bind(producers, first, 0, first.length, 1, System.nanoTime());
        binder.boundProducer().forward(binder.boundStream(), first, 0, first.length, System.nanoTime());
        byte[] second = packet(2, "1", "h", "-");
        long later = System.nanoTime() + RidBinder.REBIND_AFTER_SILENCE_NANOS + 1;
        assertEquals(RidBinder.Outcome.MEDIA, binder.bind(producers, second, 0, second.length, 2, later));
        assertEquals(2, producers[1].streamByRid("h").ssrc());
    }

    /** A VP8 packet with one-byte header extensions for the fields given ('-' leaves one out). */
    private static byte[] packet(long ssrc, String mid, String rid, String repairedRid) {
        byte[] elements = new byte[40];
        int n = 0;
        for (Object[] element : new Object[][] {{MID, mid}, {RID, rid}, {REPAIRED_RID, repairedRid}}) {
            String value = (String) element[1];
            if (value.equals("-")) {
                continue;
            }
            byte[] data = value.getBytes(StandardCharsets.US_ASCII);
            elements[n++] = (byte) (((int) element[0]) << 4 | (data.length - 1));
            System.arraycopy(data, 0, elements, n, data.length);
            n += data.length;
        }
        int words = (n + 3) / 4;
        byte[] packet = new byte[12 + (n > 0 ? 4 + 4 * words : 0) + 4];
        RtpPacket.writeHeader(packet, 0, false, 96, 1, 1000, ssrc);
        if (n > 0) {
            RtpPacket.setExtension(packet, 0, true);
            packet[12] = (byte) 0xBE;
            packet[13] = (byte) 0xDE;
            packet[15] = (byte) words;
            System.arraycopy(elements, 0, packet, 16, n);
        }
        packet[packet.length - 4] = 0x10;
        return packet;
    }
}
