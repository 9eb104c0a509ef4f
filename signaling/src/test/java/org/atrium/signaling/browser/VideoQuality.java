package org.atrium.signaling.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The quality of the video a page receives, as the browser itself reports it: successive {@code
 * getStats()} samples of its RTCPeerConnection's {@code inbound-rtp} video streams, and what they
 * add up to over an interval — frame rate, resolution, freezes, bitrate.
 *
 * <p>Take a {@link #sample()} every second or so; {@link #last(Duration)} then describes the last
 * stretch. Freezes come two ways: Chromium's own {@code freezeCount} and {@code
 * totalFreezesDuration} (a freeze is a gap between decoded frames longer than three times the
 * average or 150 ms more than it), and {@link Interval#longestStall()}, the longest span between
 * two samples over which no frame was decoded at all (so a lower bound, at the sampling's
 * resolution).
 *
 * <p>One sampler follows one remote participant ({@code window.atrium.remote}'s id, matched through
 * the tracks of its MediaStream), or every inbound video stream together with a null id.
 */
public final class VideoQuality {

    /** One inbound video stream in one sample. Counters Chromium does not report are 0. */
    public record StreamSample(
            String participantId,
            String trackId,
            long ssrc,
            long framesDecoded,
            long keyFramesDecoded,
            int frameWidth,
            int frameHeight,
            double framesPerSecond,
            long freezeCount,
            double totalFreezesDuration,
            long bytesReceived,
            long headerBytesReceived,
            long packetsReceived,
            long packetsLost,
            long nackCount,
            long pliCount) {}

    /**
     * One {@code getStats()} reading, taken at {@code atNanos} by the page's clock (epoch-based):
     * every inbound video stream, and the bytes the transport (the
     * selected candidate pair's DTLS/ICE transport: RTP, RTCP and DTLS, without IP and UDP headers)
     * has received and sent in total.
     */
    public record Sample(long atNanos, List<StreamSample> video, long transportBytesReceived,
            long transportBytesSent) {

        /** The streams of {@code participantId}, or every stream when it is null. */
        public List<StreamSample> of(String participantId) {
            return participantId == null ? video
                    : video.stream().filter(s -> participantId.equals(s.participantId())).toList();
        }
    }

    /**
     * What happened between two samples.
     *
     * @param framesDecoded frames decoded in the interval
     * @param fps {@code framesDecoded} per second
     * @param width the frame width at the end (of the largest stream when several), 0 before any
     * @param height likewise
     * @param freezes Chromium's freezes that ended in the interval
     * @param freezeSeconds their total duration
     * @param longestStall the longest span between two samples with no frame decoded
     * @param videoKbps video payload received, kbit/s (RTP payload, retransmissions included)
     * @param transportKbps everything the page's transport received, kbit/s (all streams, RTCP)
     * @param packetsLost video packets lost in the interval (may be negative after late arrivals)
     * @param keyFrames keyframes decoded in the interval
     */
    public record Interval(
            Duration duration,
            long framesDecoded,
            double fps,
            int width,
            int height,
            long freezes,
            double freezeSeconds,
            Duration longestStall,
            double videoKbps,
            double transportKbps,
            long packetsLost,
            long keyFrames) {

        /** {@code WIDTHxHEIGHT}. */
        public String resolution() {
            return width + "x" + height;
        }

        /** True when the interval shows video at {@code minFps} or more without any freeze. */
        public boolean smooth(double minFps) {
            return fps >= minFps && freezes == 0 && longestStall.toMillis() < 1000;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "%s %5.1f fps %6.0f kbit/s video (%6.0f kbit/s in total), %d freezes (%.1f s),"
                            + " longest stall %d ms, %d lost, %d keyframes, over %.1f s",
                    resolution(), fps, videoKbps, transportKbps, freezes, freezeSeconds, longestStall.toMillis(),
                    packetsLost, keyFrames, duration.toMillis() / 1000.0);
        }
    }

    private static final String SCRIPT =
            """
            const pc = (%s);
            if (!(pc instanceof RTCPeerConnection)) {
                throw new Error('not an RTCPeerConnection: %s');
            }
            const owner = {};
            if (window.atrium && window.atrium.remote) {
                for (const [id, remote] of window.atrium.remote) {
                    for (const t of remote.stream ? remote.stream.getTracks() : []) owner[t.id] = id;
                }
            }
            const report = await pc.getStats();
            const n = v => (typeof v === 'number' ? v : 0);
            const out = {atMillis: performance.timeOrigin + performance.now(), video: [],
                    transportBytesReceived: 0, transportBytesSent: 0};
            report.forEach(s => {
                if (s.type === 'inbound-rtp' && s.kind === 'video') {
                    out.video.push({participantId: owner[s.trackIdentifier] || null,
                            trackId: s.trackIdentifier || '', ssrc: n(s.ssrc),
                            framesDecoded: n(s.framesDecoded), keyFramesDecoded: n(s.keyFramesDecoded),
                            frameWidth: n(s.frameWidth), frameHeight: n(s.frameHeight),
                            framesPerSecond: n(s.framesPerSecond), freezeCount: n(s.freezeCount),
                            totalFreezesDuration: n(s.totalFreezesDuration), bytesReceived: n(s.bytesReceived),
                            headerBytesReceived: n(s.headerBytesReceived), packetsReceived: n(s.packetsReceived),
                            packetsLost: n(s.packetsLost), nackCount: n(s.nackCount), pliCount: n(s.pliCount)});
                } else if (s.type === 'transport') {
                    out.transportBytesReceived += n(s.bytesReceived);
                    out.transportBytesSent += n(s.bytesSent);
                }
            });
            return out;
            """;

    /**
     * One outbound video stream (one simulcast layer, {@code rid}, when there are several) as the
     * sending browser reports it: what its encoder makes and why it makes no more ({@code
     * qualityLimitationReason}: {@code none}, {@code bandwidth}, {@code cpu} or {@code other}).
     */
    public record Sending(
            String rid,
            long ssrc,
            int frameWidth,
            int frameHeight,
            double framesPerSecond,
            long framesEncoded,
            long keyFramesEncoded,
            double targetBitrate,
            long bytesSent,
            long qpSum,
            double totalEncodeTime,
            String qualityLimitationReason,
            String encoderImplementation) {

        /** Average QP per encoded frame so far (0 when none). */
        public double averageQp() {
            return framesEncoded == 0 ? 0 : (double) qpSum / framesEncoded;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "%s%dx%d %.0f fps, target %.0f kbit/s, avg QP %.0f, %.1f ms/frame to encode, limited by %s (%s)",
                    rid.isEmpty() ? "" : rid + ": ", frameWidth, frameHeight, framesPerSecond, targetBitrate / 1000,
                    averageQp(), framesEncoded == 0 ? 0 : totalEncodeTime * 1000 / framesEncoded,
                    qualityLimitationReason, encoderImplementation);
        }
    }

    private static final String SENDING_SCRIPT =
            """
            const pc = (%s);
            const report = await pc.getStats();
            const n = v => (typeof v === 'number' ? v : 0);
            const out = [];
            report.forEach(s => {
                if (s.type === 'outbound-rtp' && s.kind === 'video') {
                    out.push({rid: s.rid || '', ssrc: n(s.ssrc), frameWidth: n(s.frameWidth),
                            frameHeight: n(s.frameHeight), framesPerSecond: n(s.framesPerSecond),
                            framesEncoded: n(s.framesEncoded), keyFramesEncoded: n(s.keyFramesEncoded),
                            targetBitrate: n(s.targetBitrate), bytesSent: n(s.bytesSent), qpSum: n(s.qpSum),
                            totalEncodeTime: n(s.totalEncodeTime),
                            qualityLimitationReason: s.qualityLimitationReason || '',
                            encoderImplementation: s.encoderImplementation || ''});
                }
            });
            return out;
            """;

    /** The outbound video streams of the web client's connection in {@code page} (a publisher). */
    public static List<Sending> sending(BrowserPage page) {
        List<?> raw = (List<?>) page.evalAsync(SENDING_SCRIPT.formatted("window.atrium.pc"));
        return raw.stream()
                .map(o -> (Map<?, ?>) o)
                .map(m -> new Sending(
                        (String) m.get("rid"),
                        num(m, "ssrc"),
                        (int) num(m, "frameWidth"),
                        (int) num(m, "frameHeight"),
                        dbl(m, "framesPerSecond"),
                        num(m, "framesEncoded"),
                        num(m, "keyFramesEncoded"),
                        dbl(m, "targetBitrate"),
                        num(m, "bytesSent"),
                        num(m, "qpSum"),
                        dbl(m, "totalEncodeTime"),
                        (String) m.get("qualityLimitationReason"),
                        (String) m.get("encoderImplementation")))
                .toList();
    }

    private final BrowserPage page;
    private final String pcExpression;
    private final String participantId;
    private final List<Sample> samples = new ArrayList<>();

    /**
     * Samples {@code window.atrium.pc} of {@code page} (the web client's connection) for the video
     * of {@code participantId}, or of every participant when it is null.
     */
    public static VideoQuality of(BrowserPage page, String participantId) {
        return new VideoQuality(page, "window.atrium.pc", participantId);
    }

    public VideoQuality(BrowserPage page, String pcExpression, String participantId) {
        this.page = page;
        this.pcExpression = pcExpression;
        this.participantId = participantId;
    }

    /** Reads the page's stats now and keeps the sample. */
    public Sample sample() {
        Sample s = read(page, pcExpression);
        samples.add(s);
        return s;
    }

    /** Every sample taken so far, oldest first. */
    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The latest sample. */
    public Sample latest() {
        if (samples.isEmpty()) {
            throw new IllegalStateException("no sample yet");
        }
        return samples.get(samples.size() - 1);
    }

    /**
     * The interval from the oldest sample at most {@code window} before the latest one to the latest
     * (from the sample before the window when none falls inside it).
     */
    public Interval last(Duration window) {
        if (samples.size() < 2) {
            throw new IllegalStateException("need two samples, have " + samples.size());
        }
        long end = latest().atNanos();
        int from = samples.size() - 2;
        while (from > 0 && end - samples.get(from - 1).atNanos() <= window.toNanos()) {
            from--;
        }
        return interval(samples.subList(from, samples.size()), participantId);
    }

    /** The interval from {@code start} (a sample of this sampler) to the latest sample. */
    public Interval since(Sample start) {
        int from = samples.indexOf(start);
        if (from < 0 || from == samples.size() - 1) {
            throw new IllegalArgumentException("not a sample of this sampler, or the latest one");
        }
        return interval(samples.subList(from, samples.size()), participantId);
    }

    /** The interval over {@code samples} (two or more, oldest first) for one participant (null: all). */
    public static Interval interval(List<Sample> samples, String participantId) {
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        double seconds = Math.max(1e-9, (last.atNanos() - first.atNanos()) / 1e9);
        long longestStall = 0;
        int stallStart = 0;
        for (int i = 1; i < samples.size(); i++) {
            if (sum(samples.get(i), participantId, StreamSample::framesDecoded)
                    > sum(samples.get(stallStart), participantId, StreamSample::framesDecoded)) {
                stallStart = i;
            } else {
                longestStall = Math.max(longestStall, samples.get(i).atNanos() - samples.get(stallStart).atNanos());
            }
        }
        long frames = delta(first, last, participantId, StreamSample::framesDecoded);
        StreamSample largest = last.of(participantId).stream()
                .max(Comparator.comparingLong(s -> (long) s.frameWidth() * s.frameHeight())).orElse(null);
        double freezeSeconds = sumDouble(last, participantId, StreamSample::totalFreezesDuration)
                - sumDouble(first, participantId, StreamSample::totalFreezesDuration);
        return new Interval(
                Duration.ofNanos(last.atNanos() - first.atNanos()),
                frames,
                frames / seconds,
                largest == null ? 0 : largest.frameWidth(),
                largest == null ? 0 : largest.frameHeight(),
                delta(first, last, participantId, StreamSample::freezeCount),
                Math.max(0, freezeSeconds),
                Duration.ofNanos(longestStall),
                delta(first, last, participantId, StreamSample::bytesReceived) * 8 / 1000.0 / seconds,
                (last.transportBytesReceived() - first.transportBytesReceived()) * 8 / 1000.0 / seconds,
                delta(first, last, participantId, StreamSample::packetsLost),
                delta(first, last, participantId, StreamSample::keyFramesDecoded));
    }

    private interface LongField {
        long of(StreamSample s);
    }

    private interface DoubleField {
        double of(StreamSample s);
    }

    private static long sum(Sample s, String participantId, LongField field) {
        return s.of(participantId).stream().mapToLong(field::of).sum();
    }

    private static double sumDouble(Sample s, String participantId, DoubleField field) {
        return s.of(participantId).stream().mapToDouble(field::of).sum();
    }

    /**
     * A counter's growth from {@code a} to {@code b}, stream by stream (matched by track and SSRC); a
     * stream new in {@code b} counts from 0.
     */
    private static long delta(Sample a, Sample b, String participantId, LongField field) {
        long total = 0;
        for (StreamSample now : b.of(participantId)) {
            long before = a.of(participantId).stream()
                    .filter(s -> s.trackId().equals(now.trackId()) && s.ssrc() == now.ssrc())
                    .mapToLong(field::of).findFirst().orElse(0);
            total += field.of(now) - before;
        }
        return total;
    }

    /** One reading of {@code pcExpression}'s stats in {@code page}. */
    public static Sample read(BrowserPage page, String pcExpression) {
        String quoted = pcExpression.replace("\\", "\\\\").replace("'", "\\'");
        Map<?, ?> raw = (Map<?, ?>) page.evalAsync(SCRIPT.formatted(pcExpression, quoted));
        long at = (long) (dbl(raw, "atMillis") * 1e6);
        List<StreamSample> video = ((List<?>) raw.get("video")).stream()
                .map(o -> (Map<?, ?>) o)
                .map(m -> new StreamSample(
                        (String) m.get("participantId"),
                        (String) m.get("trackId"),
                        num(m, "ssrc"),
                        num(m, "framesDecoded"),
                        num(m, "keyFramesDecoded"),
                        (int) num(m, "frameWidth"),
                        (int) num(m, "frameHeight"),
                        dbl(m, "framesPerSecond"),
                        num(m, "freezeCount"),
                        dbl(m, "totalFreezesDuration"),
                        num(m, "bytesReceived"),
                        num(m, "headerBytesReceived"),
                        num(m, "packetsReceived"),
                        num(m, "packetsLost"),
                        num(m, "nackCount"),
                        num(m, "pliCount")))
                .toList();
        return new Sample(at, video, num(raw, "transportBytesReceived"), num(raw, "transportBytesSent"));
    }

    private static long num(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v instanceof Number number ? number.longValue() : 0;
    }

    private static double dbl(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v instanceof Number number ? number.doubleValue() : 0;
    }
}
