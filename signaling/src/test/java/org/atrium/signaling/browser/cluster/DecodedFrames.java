package org.atrium.signaling.browser.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.atrium.signaling.browser.Page;

/**
 * The remote video a room page decodes, sampled in the page itself every {@code period} (so that
 * the test's round trips to the browser do not widen the intervals): at each tick, per remote
 * participant, the frames decoded since the previous tick by the video tracks its tiles show, over
 * every peer connection of the page. A move (docs/client.md, "Cluster") has two peer connections
 * for a while and replaces a tile's track with the new session's; a rejoin after a node loss makes
 * a new one: all are followed ({@code setRemoteDescription} of each is noted), and a stream is told
 * apart by peer connection, SSRC and track. Each sample also carries the page's {@code
 * window.atrium} node, state, moves and reconnects.
 *
 * <p>A gap is the time between two samples that saw new frames of a participant (so a tick of
 * {@code period} is the smallest gap there is): an upper bound of the time the page went without a
 * frame of it. A tick that comes late (the page busy, say with a move's new peer connection) widens
 * it even when frames kept coming; {@link Samples#timeline} shows which it was.
 */
final class DecodedFrames {

    /**
     * One tick of one page.
     *
     * @param time wall clock (ms, {@code Date.now()}) once the tick's stats were read
     * @param frames participant id -> frames its shown video tracks decoded since the previous tick
     */
    record Sample(long time, String node, String url, String state, long moves, long reconnects,
            String participantId, int peerConnections, Map<String, Long> frames) {

        /** New frames of the participants whose id passes {@code ids}. */
        long frames(Predicate<String> ids) {
            long sum = 0;
            for (Map.Entry<String, Long> e : frames.entrySet()) {
                if (ids.test(e.getKey())) {
                    sum += e.getValue();
                }
            }
            return sum;
        }
    }

    /** The samples of a page, and the names its participants had (id -> display name). */
    record Samples(List<Sample> samples, Map<String, String> names) {

        /** The ids of participants named {@code name}. */
        Predicate<String> named(String name) {
            return id -> name.equals(names.get(id));
        }

        /** New frames of participants named {@code name} in {@code sample}. */
        long frames(Sample sample, String name) {
            return sample.frames(named(name));
        }

        /**
         * The longest time between samples that saw new frames of participants named {@code name},
         * from the first sample to the last.
         */
        Gap largestGap(String name) {
            return largestGap(named(name));
        }

        Gap largestGap(Predicate<String> ids) {
            if (samples.isEmpty()) {
                return new Gap(0, 0, 0);
            }
            long previous = samples.get(0).time();
            Gap largest = new Gap(0, previous, previous);
            for (Sample s : samples.subList(1, samples.size())) {
                if (s.frames(ids) > 0) {
                    if (s.time() - previous > largest.millis()) {
                        largest = new Gap(s.time() - previous, previous, s.time());
                    }
                    previous = s.time();
                }
            }
            long end = samples.get(samples.size() - 1).time();
            if (end - previous > largest.millis()) {
                largest = new Gap(end - previous, previous, end);
            }
            return largest;
        }

        /**
         * One line per sample from {@code from} to {@code to} (ms relative to {@code origin}): time,
         * node, moves, reconnects, peer connections followed, and new frames by participant name.
         */
        String timeline(long origin, long from, long to) {
            StringBuilder out = new StringBuilder();
            for (Sample s : samples) {
                long at = s.time() - origin;
                if (at < from || at > to) {
                    continue;
                }
                Map<String, Long> byName = new java.util.TreeMap<>();
                s.frames().forEach((id, n) -> byName.merge(names.getOrDefault(id, id), n, Long::sum));
                out.append(String.format("  %+6d ms  %s %s moves %d reconnects %d pcs %d frames %s%n", at, s.node(),
                        s.state(), s.moves(), s.reconnects(), s.peerConnections(), byName));
            }
            return out.toString();
        }

        /** The median time between two samples: the sampling period as it was kept. */
        long medianTick() {
            List<Long> ticks = new ArrayList<>();
            for (int i = 1; i < samples.size(); i++) {
                ticks.add(samples.get(i).time() - samples.get(i - 1).time());
            }
            if (ticks.isEmpty()) {
                return 0;
            }
            ticks.sort(null);
            return ticks.get(ticks.size() / 2);
        }
    }

    /**
     * A time without new frames.
     *
     * @param from the last sample with new frames before it (wall clock, ms)
     * @param to the first one after it (or the last sample)
     */
    record Gap(long millis, long from, long to) {

        /** "1234 ms (from +500 to +1734 ms)" relative to {@code origin}. */
        String describe(long origin) {
            return millis + " ms (from " + signed(from - origin) + " to " + signed(to - origin) + " ms)";
        }

        private static String signed(long ms) {
            return ms >= 0 ? "+" + ms : Long.toString(ms);
        }
    }

    private static final String START = """
            const period = arguments[0];
            const atrium = window.atrium;
            let lab = window.__decodedFrames;
            if (!lab) {
              const pcs = new Set();
              const proto = RTCPeerConnection.prototype;
              const setRemote = proto.setRemoteDescription;
              // Every peer connection the SDK makes (a move's, a rejoin's) is answered by an offer.
              proto.setRemoteDescription = function (...args) {
                pcs.add(this);
                return setRemote.apply(this, args);
              };
              lab = window.__decodedFrames = {pcs, keys: new WeakMap(), nextKey: 0, last: new Map(),
                  samples: [], names: {}, timer: null, running: false};
            }
            const tick = async () => {
              if (!lab.running) return;
              try {
                if (atrium.pc) lab.pcs.add(atrium.pc);
                const shown = new Map(); // track id -> participant id, for the video its tiles show
                const frames = {};
                for (const [id, entry] of atrium.remote) {
                  lab.names[id] = entry.name;
                  frames[id] = 0;
                  for (const track of entry.stream ? entry.stream.getVideoTracks() : []) shown.set(track.id, id);
                  for (const track of entry.screenStream ? entry.screenStream.getVideoTracks() : []) {
                    shown.set(track.id, id);
                  }
                }
                const count = (pcKey, trackId, s) => {
                  const key = pcKey + '/' + s.ssrc + '/' + trackId;
                  const now = s.framesDecoded || 0;
                  const before = lab.last.get(key);
                  lab.last.set(key, now);
                  const id = shown.get(trackId);
                  if (id !== undefined) frames[id] += before === undefined || now < before ? now : now - before;
                };
                for (const pc of [...lab.pcs]) {
                  if (pc.connectionState === 'closed') {
                    lab.pcs.delete(pc);
                    continue;
                  }
                  if (!lab.keys.has(pc)) lab.keys.set(pc, lab.nextKey++);
                  const pcKey = lab.keys.get(pc);
                  let report;
                  try {
                    report = await pc.getStats();
                  } catch (e) {
                    continue;
                  }
                  const matched = new Set();
                  report.forEach((s) => {
                    if (s.type !== 'inbound-rtp' || s.kind !== 'video' || !s.trackIdentifier) return;
                    matched.add(s.trackIdentifier);
                    count(pcKey, s.trackIdentifier, s);
                  });
                  // A browser without trackIdentifier: through the receiver of each shown track.
                  for (const receiver of pc.getReceivers()) {
                    const track = receiver.track;
                    if (!track || track.kind !== 'video' || !shown.has(track.id) || matched.has(track.id)) continue;
                    try {
                      (await receiver.getStats()).forEach((s) => {
                        if (s.type === 'inbound-rtp') count(pcKey, track.id, s);
                      });
                    } catch (e) {
                      // closed meanwhile
                    }
                  }
                }
                lab.samples.push({t: Date.now(), node: atrium.node, url: atrium.url, state: atrium.state,
                    moves: atrium.moves, reconnects: atrium.reconnects, self: atrium.participantId,
                    pcs: lab.pcs.size, frames});
              } catch (e) {
                lab.samples.push({t: Date.now(), error: String(e && e.stack ? e.stack : e)});
              }
              lab.timer = setTimeout(tick, period);
            };
            if (!lab.running) {
              lab.running = true;
              lab.samples = [];
              tick();
            }
            return true;
            """;

    private static final String READ = """
            const lab = window.__decodedFrames;
            if (!lab) return {samples: [], names: {}};
            if (arguments[0]) {
              lab.running = false;
              clearTimeout(lab.timer);
            }
            return {samples: lab.samples, names: lab.names};
            """;

    private DecodedFrames() {}

    /** Starts sampling {@code page}'s room page every {@code period}. */
    static void start(Page page, Duration period) {
        page.eval(START, period.toMillis());
    }

    /** The samples so far. */
    static Samples read(Page page) {
        return parse(page.eval(READ, false));
    }

    /** Stops sampling; the samples taken. */
    static Samples stop(Page page) {
        return parse(page.eval(READ, true));
    }

    private static Samples parse(Object raw) {
        Map<?, ?> map = (Map<?, ?>) raw;
        List<Sample> samples = new ArrayList<>();
        for (Object o : (List<?>) map.get("samples")) {
            Map<?, ?> s = (Map<?, ?>) o;
            if (s.get("error") != null) {
                throw new AssertionError("sampling the page's stats failed: " + s.get("error"));
            }
            Map<String, Long> frames = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) s.get("frames")).entrySet()) {
                frames.put(String.valueOf(e.getKey()), ((Number) e.getValue()).longValue());
            }
            samples.add(new Sample(((Number) s.get("t")).longValue(), (String) s.get("node"), (String) s.get("url"),
                    (String) s.get("state"), ((Number) s.get("moves")).longValue(),
                    ((Number) s.get("reconnects")).longValue(), (String) s.get("self"),
                    ((Number) s.get("pcs")).intValue(), frames));
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) map.get("names")).entrySet()) {
            names.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
        }
        return new Samples(samples, names);
    }
}
