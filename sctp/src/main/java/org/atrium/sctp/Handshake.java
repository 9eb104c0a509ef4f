package org.atrium.sctp;

import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.atrium.sctp.packet.Chunk;
import org.atrium.sctp.packet.ChunkType;
import org.atrium.sctp.packet.CookieEchoChunk;
import org.atrium.sctp.packet.InitChunk;
import org.atrium.sctp.packet.PacketBuilder;
import org.atrium.sctp.packet.Parameter;
import org.atrium.sctp.packet.ParameterIterator;
import org.atrium.sctp.packet.SctpPacket;
import org.atrium.sctp.packet.SupportedExtensions;

/**
 * Association setup (RFC 9260 5.1, 5.2): our INIT and COOKIE ECHO, retransmitted by the T1-init
 * timer with backoff; the INIT ACK answering a peer's INIT, with all the association's state in a
 * cookie we sign (so an INIT costs no state) and at most {@code initAcksPerSecond} of them; the
 * check of a cookie a COOKIE ECHO brings back, and the COOKIE ACK owed for it. The association
 * decides in which states these are taken and what they change; the tags and initial TSNs are
 * its own.
 */
final class Handshake {
    /** Streams we offer in each direction: every stream id. */
    static final int STREAMS = 65535;

    private final SctpConfig config;
    private final RandomGenerator random;
    private final Drops drops;
    private final PacketSender packets;
    private final Timer t1;
    private final StateCookie cookies;
    private final TokenBucket initAcks;
    private final ParameterIterator params = new ParameterIterator();

    /** The parameters of the INIT or INIT ACK read last. */
    private boolean forwardTsn;
    private boolean reconfig;
    private int cookieOffset;
    private int cookieLength;

    /** What T1 retransmits: our INIT, or once the INIT ACK came, the COOKIE ECHO of its cookie. */
    private int initTag;
    private int initTsn;
    private int peerTag;
    private byte[] cookieToEcho;
    private boolean cookieAckDue;

    Handshake(SctpConfig config, RandomGenerator random, Drops drops, PacketSender packets, Timer t1) {
        this.config = config;
        this.random = random;
        this.drops = drops;
        this.packets = packets;
        this.t1 = t1;
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.cookies = new StateCookie(secret);
        this.initAcks = new TokenBucket(config.initAcksPerSecond());
    }

    /** A verification tag for our side: random, never 0 (RFC 9260 3.3.2, 5.3.1). */
    int newTag() {
        int t;
        do {
            t = random.nextInt();
        } while (t == 0);
        return t;
    }

    int newInitialTsn() {
        return random.nextInt();
    }

    /** Sends our INIT and starts T1. */
    void sendInit(int myTag, int myInitialTsn, long nowMillis) {
        initTag = myTag;
        initTsn = myInitialTsn;
        t1.start(nowMillis, config.rtoInitialMillis());
        writeInit();
    }

    /**
     * T1 expired: our INIT or COOKIE ECHO goes again and T1 runs for twice as long. Returns false,
     * sending nothing, when retransmissions are used up and the association is to end.
     */
    boolean onT1(long nowMillis) {
        if (!t1.restartBackedOff(nowMillis, config.rtoMaxMillis(), config.maxInitRetransmissions())) {
            return false;
        }
        if (cookieToEcho == null) {
            writeInit();
        } else {
            writeCookieEcho();
        }
        return true;
    }

    private void writeInit() {
        PacketBuilder p = packets.begin(0);
        byte[] o = p.buffer();
        int at = p.position();
        int n = InitChunk.writeFixed(o, at, ChunkType.INIT, initTag, config.receiveWindow(), STREAMS, STREAMS, initTsn);
        n += writeExtensionParameters(o, at + n);
        Chunk.setLength(o, at, n);
        p.advance(n);
        packets.send();
    }

    /** Whether an INIT is well formed; its parameters are kept for {@link #answerInit}. */
    boolean readInit(byte[] b, int c, int len) {
        return readInit(b, c, len, ChunkType.INIT);
    }

    /**
     * Answers the INIT just read with an INIT ACK, unless INIT ACKs are over their rate. During
     * our own setup ({@code collision}, RFC 9260 5.2.1) it carries our tag and TSN; otherwise a
     * fresh tag and TSN that only the cookie remembers.
     */
    void answerInit(byte[] b, int c, long nowMillis, boolean collision, int myTag, int myInitialTsn) {
        if (!initAcks.take(nowMillis)) {
            drops.add(SctpDropReason.INIT_RATE_LIMITED);
            return;
        }
        int ackTag = collision ? myTag : newTag();
        int ackTsn = collision ? myInitialTsn : newInitialTsn();
        StateCookie.Contents cookie = new StateCookie.Contents(nowMillis, ackTag, InitChunk.initiateTag(b, c), ackTsn,
            InitChunk.initialTsn(b, c), InitChunk.advertisedWindow(b, c), InitChunk.outboundStreams(b, c),
            InitChunk.inboundStreams(b, c), forwardTsn, reconfig);
        PacketBuilder p = packets.begin(InitChunk.initiateTag(b, c));
        byte[] o = p.buffer();
        int at = p.position();
        int n = InitChunk.writeFixed(o, at, ChunkType.INIT_ACK, ackTag, config.receiveWindow(), STREAMS, STREAMS,
            ackTsn);
        n += writeExtensionParameters(o, at + n);
        n += Parameter.writeHeader(o, at + n, Parameter.STATE_COOKIE, Parameter.HEADER_LENGTH + StateCookie.LENGTH);
        cookies.write(o, at + n, cookie);
        n += StateCookie.LENGTH;
        Chunk.setLength(o, at, n);
        p.advance(n);
        packets.send();
    }

    /** Whether an INIT ACK is well formed, with a cookie that fits in our COOKIE ECHO. */
    boolean readInitAck(byte[] b, int c, int len) {
        return readInit(b, c, len, ChunkType.INIT_ACK) && cookieOffset >= 0 && cookieLength > 0
            && cookieLength <= config.maxPacketSize() - SctpPacket.HEADER_LENGTH - Chunk.HEADER_LENGTH;
    }

    /**
     * Takes the INIT ACK just read: keeps its cookie to echo, and returns the association it
     * describes, as a cookie of ours would.
     */
    StateCookie.Contents takeInitAck(byte[] b, int c, long nowMillis, int myTag, int myInitialTsn) {
        cookieToEcho = Arrays.copyOfRange(b, cookieOffset, cookieOffset + cookieLength);
        return new StateCookie.Contents(nowMillis, myTag, InitChunk.initiateTag(b, c), myInitialTsn,
            InitChunk.initialTsn(b, c), InitChunk.advertisedWindow(b, c), InitChunk.outboundStreams(b, c),
            InitChunk.inboundStreams(b, c), forwardTsn, reconfig);
    }

    /** Sends the COOKIE ECHO of the INIT ACK taken last, to {@code peerTag}, and starts T1 again. */
    void sendCookieEcho(int peerTag, long nowMillis) {
        this.peerTag = peerTag;
        t1.start(nowMillis, config.rtoInitialMillis());
        writeCookieEcho();
    }

    private void writeCookieEcho() {
        PacketBuilder p = packets.begin(peerTag);
        p.advance(CookieEchoChunk.write(p.buffer(), p.position(), cookieToEcho, 0, cookieToEcho.length));
        packets.send();
    }

    /** The association is up: T1 stops and the peer's cookie is no longer needed. */
    void established() {
        t1.stop();
        cookieToEcho = null;
    }

    /** A COOKIE ECHO was accepted (or repeated because our answer was lost): a COOKIE ACK is owed. */
    void ackCookie() {
        cookieAckDue = true;
    }

    /** Writes the COOKIE ACK owed; the caller puts it first in the packet (RFC 9260 5.1 D). */
    void writeCookieAck(PacketBuilder p) {
        if (cookieAckDue) {
            p.advance(Chunk.writeHeader(p.buffer(), p.position(), ChunkType.COOKIE_ACK, 0, Chunk.HEADER_LENGTH));
            cookieAckDue = false;
        }
    }

    /**
     * The cookie of a well-formed COOKIE ECHO that came with verification tag {@code tag}; null,
     * dropped and counted, unless we signed it, it is within its lifetime, and the tag is the one
     * it gave the peer.
     */
    StateCookie.Contents openCookie(byte[] b, int c, int tag, long nowMillis) {
        StateCookie.Contents k = cookies.read(b, CookieEchoChunk.cookieOffset(c), CookieEchoChunk.cookieLength(b, c));
        if (k == null) {
            drops.add(SctpDropReason.COOKIE_BAD_SIGNATURE);
            return null;
        }
        long age = nowMillis - k.createdMillis();
        if (age > config.cookieLifetimeMillis() || age < -config.cookieLifetimeMillis()) {
            drops.add(SctpDropReason.COOKIE_EXPIRED);
            return null;
        }
        if (tag != k.myTag()) {
            drops.add(SctpDropReason.BAD_VERIFICATION_TAG);
            return null;
        }
        return k;
    }

    private boolean readInit(byte[] b, int c, int len, int type) {
        return InitChunk.is(b, c, len, type) && InitChunk.initiateTag(b, c) != 0
            && InitChunk.outboundStreams(b, c) != 0 && InitChunk.inboundStreams(b, c) != 0
            && readParameters(b, c, len);
    }

    private boolean readParameters(byte[] b, int c, int len) {
        forwardTsn = false;
        reconfig = false;
        cookieOffset = -1;
        cookieLength = 0;
        params.reset(b, InitChunk.parametersOffset(c), len - InitChunk.FIXED_LENGTH);
        while (params.next()) {
            switch (params.type()) {
                case Parameter.FORWARD_TSN_SUPPORTED -> forwardTsn = true;
                case Parameter.SUPPORTED_EXTENSIONS -> {
                    forwardTsn |= SupportedExtensions.lists(b, params.offset(), params.length(), ChunkType.FORWARD_TSN);
                    reconfig |= SupportedExtensions.lists(b, params.offset(), params.length(), ChunkType.RE_CONFIG);
                }
                case Parameter.STATE_COOKIE -> {
                    cookieOffset = params.valueOffset();
                    cookieLength = params.valueLength();
                }
                default -> {
                }
            }
        }
        return !params.malformed();
    }

    /** Supported Extensions (FORWARD TSN, RE-CONFIG) then Forward-TSN-Supported: 12 bytes, no trailing padding. */
    private static int writeExtensionParameters(byte[] b, int at) {
        int n = SupportedExtensions.write(b, at, ChunkType.FORWARD_TSN, ChunkType.RE_CONFIG);
        n += Parameter.writeHeader(b, at + n, Parameter.FORWARD_TSN_SUPPORTED, Parameter.HEADER_LENGTH);
        return n;
    }
}
