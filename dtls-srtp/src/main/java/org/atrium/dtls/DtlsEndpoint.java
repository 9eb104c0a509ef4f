package org.atrium.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.atrium.srtp.SrtpKeyingMaterial;
import org.atrium.srtp.SrtpProfile;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One DTLS 1.2 association for DTLS-SRTP (RFC 5764), with no I/O of its own: datagrams from the
 * network go in through {@link #receive}, datagrams to send come out through
 * {@link Listener#sendDatagram}.
 *
 * <p>{@link #start} runs Bouncy Castle's blocking handshake on the given executor; the same task
 * then reads application data until the association closes, so it occupies one executor
 * thread for the association's lifetime. Both sides present a certificate and verify the
 * peer's against the fingerprint from signalling; a mismatch fails the handshake.
 *
 * <p>Thread-safety: {@link #receive}, {@link #close} and {@link #sendApplicationData} may be
 * called from any thread. Listener methods are called from the executor thread (and
 * {@code sendDatagram} also from threads calling {@code close} or {@code sendApplicationData});
 * they must not block for long or throw.
 */
public final class DtlsEndpoint {
    /** Callbacks of one association. */
    public interface Listener {
        /** A datagram to send to the peer; the array is only valid during the call. */
        void sendDatagram(byte[] b, int off, int len);

        /** The handshake completed and the peer's certificate matched; called at most once. */
        void onConnected(SrtpProfile profile, SrtpKeyingMaterial keys);

        /**
         * The handshake failed (fingerprint mismatch, timeout, alert, no common profile); called at
         * most once, never after onConnected, never after a local {@link #close}.
         */
        void onFailed(String reason, Throwable cause);

        /** DTLS application data (for SCTP data channels); the array is only valid during the call. */
        default void onApplicationData(byte[] b, int off, int len) {
        }

        /** A connected association ended other than by a local {@link #close}: close_notify or an error. */
        default void onClosed(String reason) {
        }
    }

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /** An Ethernet MTU less IPv4 and UDP headers. */
    static final int RECEIVE_LIMIT = 1500 - 28;
    /** Fits the paths browsers assume, with room for TURN and IPv6 overheads. */
    static final int SEND_LIMIT = 1200;
    /** Datagrams held before the handshake thread takes them, including those before start(). */
    static final int QUEUE_CAPACITY = 64;
    /** How long the post-handshake reader waits per call; close() wakes it at once. */
    private static final int READ_WAIT_MILLIS = 5000;

    private enum State { NEW, HANDSHAKING, CONNECTED, FAILED, CLOSED }

    private final DtlsRole role;
    private final DtlsCertificate certificate;
    private final Fingerprint remoteFingerprint;
    private final Listener listener;
    private final DatagramQueueTransport transport;
    private final HandshakeOutcome outcome;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private volatile SrtpProfile[] srtpProfiles = {SrtpProfile.AEAD_AES_128_GCM, SrtpProfile.AES128_CM_HMAC_SHA1_80};
    private volatile DTLSTransport dtls;
    private volatile boolean closeRequested;

    public DtlsEndpoint(DtlsRole role, DtlsCertificate certificate, Fingerprint remoteFingerprint, Listener listener) {
        this.role = Objects.requireNonNull(role, "role");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.remoteFingerprint = Objects.requireNonNull(remoteFingerprint, "remoteFingerprint");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.transport = new DatagramQueueTransport(QUEUE_CAPACITY, RECEIVE_LIMIT, SEND_LIMIT, listener::sendDatagram);
        this.outcome = new HandshakeOutcome(transport::wakeUp);
    }

    public DtlsRole role() {
        return role;
    }

    /** Sets the overall handshake timeout (default 30 s); only before {@link #start}. */
    public void setHandshakeTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
        }
        requireNew();
        this.handshakeTimeout = timeout;
    }

    /**
     * The SRTP profiles in order of preference (default AEAD_AES_128_GCM, then
     * AES128_CM_HMAC_SHA1_80): what a client offers, what a server accepts; only before start.
     */
    public void setSrtpProfiles(SrtpProfile... profiles) {
        if (profiles.length == 0) {
            throw new IllegalArgumentException("at least one SRTP profile is needed");
        }
        requireNew();
        this.srtpProfiles = profiles.clone();
    }

    /** Starts the handshake on one of the executor's threads; call once. */
    public void start(Executor executor) {
        if (!state.compareAndSet(State.NEW, State.HANDSHAKING)) {
            throw new IllegalStateException("DTLS endpoint already started or closed");
        }
        transport.startDeadline(handshakeTimeout.toNanos());
        try {
            executor.execute(this::run);
        } catch (RejectedExecutionException e) {
            fail("executor rejected the DTLS handshake task", e);
        }
    }

    /**
     * An incoming DTLS datagram; copied, so the caller keeps its buffer. Datagrams that arrive
     * before {@link #start} are kept, up to a bound; beyond it they are dropped.
     */
    public void receive(byte[] b, int off, int len) {
        transport.offer(b, off, len);
    }

    /** Datagrams dropped because the incoming queue was full. */
    public long droppedDatagrams() {
        return transport.droppedCount();
    }

    public boolean isConnected() {
        return state.get() == State.CONNECTED;
    }

    /** The negotiated profile once connected, else null. */
    public SrtpProfile srtpProfile() {
        return isConnected() ? outcome.profile() : null;
    }

    /**
     * Sends DTLS application data (SCTP for data channels); returns len, or -1 when not connected
     * or the send failed. Not to be called concurrently with itself.
     */
    public int sendApplicationData(byte[] b, int off, int len) {
        DTLSTransport connected = dtls;
        if (connected == null || state.get() != State.CONNECTED) {
            return -1;
        }
        try {
            connected.send(b, off, len);
            return len;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Ends the association: a connected one sends close_notify (from the executor thread, which
     * then finishes); a handshake in progress is abandoned and its thread released. No listener
     * callbacks follow except sendDatagram for the close_notify. Idempotent.
     */
    public void close() {
        closeRequested = true;
        State previous = state.getAndSet(State.CLOSED);
        if (previous == State.CONNECTED) {
            transport.wakeUp();
        } else {
            transport.abort();
        }
    }

    private void requireNew() {
        if (state.get() != State.NEW) {
            throw new IllegalStateException("only before start()");
        }
    }

    private void run() {
        DTLSTransport connected;
        try {
            BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
            if (role == DtlsRole.SERVER) {
                connected = new DTLSServerProtocol().accept(
                        new AtriumDtlsServer(crypto, certificate, remoteFingerprint, srtpProfiles, outcome), transport);
            } else {
                connected = new DTLSClientProtocol().connect(
                        new AtriumDtlsClient(crypto, certificate, remoteFingerprint, srtpProfiles, outcome), transport);
            }
        } catch (IOException | RuntimeException e) {
            fail(describeFailure(e), e);
            return;
        }
        transport.clearDeadline();
        dtls = connected;
        if (!state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) {
            // close() won the race: the association is not wanted any more.
            closeQuietly(connected);
            transport.abort();
            return;
        }
        listener.onConnected(outcome.profile(), outcome.keyingMaterial());
        readApplicationData(connected);
    }

    private void readApplicationData(DTLSTransport connected) {
        byte[] buf = new byte[RECEIVE_LIMIT];
        String endReason = null;
        try {
            while (!closeRequested && !outcome.isPeerClosed()) {
                int n;
                try {
                    n = connected.receive(buf, 0, buf.length, READ_WAIT_MILLIS);
                } catch (InterruptedIOException woken) {
                    if (Thread.currentThread().isInterrupted()) {
                        // The thread's executor is stopping (shutdownNow) without close(): every
                        // further wait would end at once, so the loop would spin. End it here.
                        endReason = "the DTLS thread was interrupted";
                        break;
                    }
                    // Woken by close(): the loop's condition sees it.
                    continue;
                }
                if (n >= 0) {
                    listener.onApplicationData(buf, 0, n);
                }
            }
            if (outcome.isPeerClosed()) {
                endReason = "peer sent close_notify";
            }
        } catch (IOException e) {
            endReason = describeFailure(e);
        }
        if (closeRequested) {
            closeQuietly(connected);
        } else if (state.compareAndSet(State.CONNECTED, State.CLOSED)) {
            listener.onClosed(endReason);
        }
        transport.abort();
    }

    private void fail(String reason, Throwable cause) {
        transport.abort();
        if (state.compareAndSet(State.HANDSHAKING, State.FAILED) && !closeRequested) {
            listener.onFailed(reason, cause);
        }
    }

    private String describeFailure(Exception e) {
        String refusal = outcome.refusal();
        if (refusal != null) {
            return refusal;
        }
        if (e instanceof TlsTimeoutException) {
            return "DTLS handshake timed out after " + handshakeTimeout.toMillis() + " ms";
        }
        if (e instanceof TlsFatalAlertReceived) {
            return "peer sent fatal alert "
                    + AlertDescription.getText(((TlsFatalAlertReceived) e).getAlertDescription());
        }
        if (e instanceof TlsFatalAlert) {
            return "DTLS failed with alert " + AlertDescription.getText(((TlsFatalAlert) e).getAlertDescription())
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return "DTLS failed: " + e;
    }

    private static void closeQuietly(DTLSTransport connected) {
        try {
            connected.close();
        } catch (IOException ignored) {
            // The peer is told by close_notify when possible; nothing else remains to release.
        }
    }

    @Override
    public String toString() {
        return "DtlsEndpoint[" + role + ", " + state.get() + "]";
    }
}
