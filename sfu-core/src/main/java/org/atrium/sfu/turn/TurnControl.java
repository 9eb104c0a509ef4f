package org.atrium.sfu.turn;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeDecoder;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.ChannelNumberAttribute;
import org.ice4j.attribute.LifetimeAttribute;
import org.ice4j.attribute.RequestedTransportAttribute;
import org.ice4j.attribute.UnknownAttributesAttribute;
import org.ice4j.attribute.XorPeerAddressAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;

/**
 * The control plane: Binding, Allocate, Refresh, CreatePermission and ChannelBind requests (RFC
 * 8656 7, 9.2, 11.2; RFC 8489), decoded and answered with ice4j. The engine calls it under its
 * lock, one request at a time.
 *
 * <p>Choices where RFC 8656 leaves room: EVEN-PORT is ignored (the edge picks relay ports; no
 * browser asks for even ones); RESERVATION-TOKEN is refused with 400, as no port is ever reserved;
 * DONT-FRAGMENT is accepted and ignored; relays are IPv4, so REQUESTED-ADDRESS-FAMILY IPv6 gets 440.
 */
final class TurnControl {

    static final int BINDING = 0x001;
    static final int ALLOCATE = 0x003;
    static final int REFRESH = 0x004;
    static final int CREATE_PERMISSION = 0x008;
    static final int CHANNEL_BIND = 0x009;
    /** REQUESTED-TRANSPORT's protocol number for UDP, the only relay transport (RFC 8656 14.7). */
    private static final int UDP = 17;

    private final TurnConfig config;
    private final TurnIo io;
    private final TurnMetrics metrics;
    private final Allocations allocations;
    private final TurnAuthenticator authenticator;

    TurnControl(TurnConfig config, TurnIo io, TurnMetrics metrics, Allocations allocations,
            TurnAuthenticator authenticator) {
        this.config = config;
        this.io = io;
        this.metrics = metrics;
        this.allocations = allocations;
        this.authenticator = authenticator;
    }

    /** One request, {@code msg} a copy of it starting at 0, already scanned. */
    void onRequest(TurnClient client, byte[] msg, StunScan scan, long nowMillis) {
        Message decoded;
        try {
            decoded = Message.decode(forIce4j(msg, scan), 0, msg.length);
        } catch (StunException | RuntimeException e) {
            // ice4j's attribute decoders fail on some bad values with runtime exceptions (a short ERROR-CODE, say).
            metrics.dropped(TurnDropReason.MALFORMED);
            return;
        }
        if (!(decoded instanceof Request request)) {
            metrics.dropped(TurnDropReason.UNEXPECTED);
            return;
        }
        int method = scan.method();
        byte[] transaction = request.getTransactionID();
        if (method == BINDING) {
            binding(client, scan, request);
            return;
        }
        if (method != ALLOCATE && method != REFRESH && method != CREATE_PERMISSION && method != CHANNEL_BIND) {
            refuse(client, method, transaction, TurnRefusal.UNKNOWN_METHOD, null);
            return;
        }
        TurnAuthenticator.Credential credential = authenticator.authenticate(client, msg, scan, request, nowMillis);
        if (credential == null) {
            return;
        }
        byte[] key = credential.key();
        Allocation allocation = allocations.byClient(client);
        if (allocation != null && !allocation.username.equals(credential.username())) {
            // RFC 8656 7.2 and 5: a 5-tuple's allocation answers only to the username that made it.
            refuse(client, method, transaction, TurnRefusal.WRONG_CREDENTIALS, key);
            return;
        }
        if (scan.unknown.length > 0) {
            refuse(client, method, transaction, TurnRefusal.UNKNOWN_ATTRIBUTE, key, unknownAttributes(scan));
            return;
        }
        switch (method) {
            case ALLOCATE -> allocate(client, msg, scan, request, credential, allocation, nowMillis);
            case REFRESH -> refresh(client, request, key, allocation, nowMillis);
            case CREATE_PERMISSION -> createPermission(client, msg, scan, request, key, allocation, nowMillis);
            default -> channelBind(client, msg, scan, request, key, allocation, nowMillis);
        }
    }

    /** A TURN server is a STUN server too (RFC 8656 2.1): XOR-MAPPED-ADDRESS, no authentication. */
    private void binding(TurnClient client, StunScan scan, Request request) {
        if (scan.unknown.length > 0) {
            refuse(client, BINDING, request.getTransactionID(), TurnRefusal.UNKNOWN_ATTRIBUTE, null,
                    unknownAttributes(scan));
            return;
        }
        send(client, TurnResponses.seal(MessageFactory.createBindingResponse(request, transportAddress(client.remote())),
                request.getTransactionID(), null));
    }

    /** RFC 8656 7.2, in its order. */
    private void allocate(TurnClient client, byte[] msg, StunScan scan, Request request,
            TurnAuthenticator.Credential credential,
            Allocation existing, long nowMillis) {
        byte[] transaction = request.getTransactionID();
        byte[] key = credential.key();
        if (existing != null) {
            if (Arrays.equals(existing.allocateTransaction, transaction)) {
                send(client, existing.allocateResponse);   // a retransmission: the same success again
            } else {
                refuse(client, ALLOCATE, transaction, TurnRefusal.ALLOCATION_MISMATCH, key);
            }
            return;
        }
        RequestedTransportAttribute transport =
                (RequestedTransportAttribute) request.getAttribute(Attribute.REQUESTED_TRANSPORT);
        if (transport == null) {
            refuse(client, ALLOCATE, transaction, TurnRefusal.BAD_REQUEST, key);
            return;
        }
        if (transport.getRequestedTransport() != UDP) {
            refuse(client, ALLOCATE, transaction, TurnRefusal.UNSUPPORTED_TRANSPORT, key);
            return;
        }
        if (request.getAttribute(Attribute.RESERVATION_TOKEN) != null) {
            refuse(client, ALLOCATE, transaction, TurnRefusal.RESERVATION_TOKEN, key);
            return;
        }
        int family = scan.requestedFamily(msg);
        if (family < 0) {
            refuse(client, ALLOCATE, transaction, TurnRefusal.BAD_REQUEST, key);
            return;
        }
        if (family > 1) {
            refuse(client, ALLOCATE, transaction, TurnRefusal.ADDRESS_FAMILY, key);
            return;
        }
        if (allocations.countFor(credential.identity()) >= config.maxAllocationsPerIdentity()) {
            refuse(client, ALLOCATE, transaction, TurnRefusal.IDENTITY_QUOTA, key);
            return;
        }
        if (allocations.size() >= config.maxAllocations()) {
            refuse(client, ALLOCATE, transaction, TurnRefusal.SERVER_QUOTA, key);
            return;
        }
        RelaySocket relay = io.openRelay(client);
        if (relay == null) {
            refuse(client, ALLOCATE, transaction, TurnRefusal.INSUFFICIENT_CAPACITY, key);
            return;
        }
        try {
            long lifetime = config.lifetimeSeconds(requestedLifetime(request));
            byte[] response = TurnResponses.seal(MessageFactory.createAllocationResponse(request,
                    transportAddress(client.remote()), transportAddress(relay.address()), (int) lifetime),
                    transaction, key);
            allocations.add(new Allocation(client, relay, credential.username(), credential.identity(), transaction,
                    response, nowMillis + lifetime * 1000));
            send(client, response);
        } catch (RuntimeException e) {
            relay.close();
            throw e;
        }
    }

    /** RFC 8656 7.3: a new lifetime, or the end of the allocation at LIFETIME 0. */
    private void refresh(TurnClient client, Request request, byte[] key, Allocation allocation, long nowMillis) {
        byte[] transaction = request.getTransactionID();
        if (allocation == null) {
            refuse(client, REFRESH, transaction, TurnRefusal.NO_ALLOCATION, key);
            return;
        }
        long requested = requestedLifetime(request);
        long lifetime = requested == 0 ? 0 : config.lifetimeSeconds(requested);
        if (lifetime == 0) {
            allocations.remove(allocation);
        } else {
            allocation.refresh(nowMillis + lifetime * 1000);
        }
        send(client, TurnResponses.seal(MessageFactory.createRefreshResponse((int) lifetime), transaction, key));
    }

    /** RFC 8656 9.2: all the XOR-PEER-ADDRESSes or none. */
    private void createPermission(TurnClient client, byte[] msg, StunScan scan, Request request, byte[] key,
            Allocation allocation, long nowMillis) {
        byte[] transaction = request.getTransactionID();
        if (allocation == null) {
            refuse(client, CREATE_PERMISSION, transaction, TurnRefusal.NO_ALLOCATION, key);
            return;
        }
        if (scan.peersAt.length == 0) {
            refuse(client, CREATE_PERMISSION, transaction, TurnRefusal.BAD_REQUEST, key);
            return;
        }
        InetAddress[] addresses = new InetAddress[scan.peersAt.length];
        for (int i = 0; i < addresses.length; i++) {
            InetSocketAddress peer = peerAddress(msg, scan.peersAt[i], transaction);
            TurnRefusal refusal = peer == null ? TurnRefusal.BAD_REQUEST
                    : !(peer.getAddress() instanceof Inet4Address) ? TurnRefusal.PEER_ADDRESS_FAMILY
                    : !config.peers().permitsAddress(peer.getAddress()) ? TurnRefusal.PEER_FORBIDDEN : null;
            if (refusal != null) {
                refuse(client, CREATE_PERMISSION, transaction, refusal, key);
                return;
            }
            addresses[i] = peer.getAddress();
        }
        if (!allocation.permissions.roomFor(addresses)) {
            refuse(client, CREATE_PERMISSION, transaction, TurnRefusal.INSUFFICIENT_CAPACITY, key);
            return;
        }
        for (InetAddress address : addresses) {
            allocation.permissions.install(address, nowMillis);
        }
        send(client, TurnResponses.seal(MessageFactory.createCreatePermissionResponse(), transaction, key));
    }

    /** RFC 8656 11.2: the number in range, neither it nor the peer bound otherwise; binds and installs the permission. */
    private void channelBind(TurnClient client, byte[] msg, StunScan scan, Request request, byte[] key,
            Allocation allocation, long nowMillis) {
        byte[] transaction = request.getTransactionID();
        if (allocation == null) {
            refuse(client, CHANNEL_BIND, transaction, TurnRefusal.NO_ALLOCATION, key);
            return;
        }
        ChannelNumberAttribute number = (ChannelNumberAttribute) request.getAttribute(Attribute.CHANNEL_NUMBER);
        InetSocketAddress peer = scan.peersAt.length == 0 ? null : peerAddress(msg, scan.peersAt[0], transaction);
        if (number == null || peer == null || !ChannelData.validChannel(number.getChannelNumber())) {
            refuse(client, CHANNEL_BIND, transaction, TurnRefusal.BAD_REQUEST, key);
            return;
        }
        int channel = number.getChannelNumber();
        TurnRefusal refusal = !(peer.getAddress() instanceof Inet4Address) ? TurnRefusal.PEER_ADDRESS_FAMILY
                : !config.peers().permits(peer) ? TurnRefusal.PEER_FORBIDDEN
                : !allocation.channels.canBind(channel, peer) ? TurnRefusal.CHANNEL_CONFLICT
                : !allocation.permissions.roomFor(new InetAddress[] {peer.getAddress()})
                        ? TurnRefusal.INSUFFICIENT_CAPACITY : null;
        if (refusal != null) {
            refuse(client, CHANNEL_BIND, transaction, refusal, key);
            return;
        }
        allocation.channels.bind(channel, peer, nowMillis);
        allocation.permissions.install(peer.getAddress(), nowMillis);
        send(client, TurnResponses.seal(MessageFactory.createChannelBindResponse(), transaction, key));
    }

    /** The XOR-PEER-ADDRESS at {@code at}, decoded by ice4j; null unless its value is a whole IPv4 or IPv6 address. */
    private static InetSocketAddress peerAddress(byte[] msg, int at, byte[] transaction) {
        int length = StunIntegrity.readShort(msg, at + 2);
        int family = msg[at + 5];
        if (!(length == 8 && family == 1) && !(length == 20 && family == 2)) {
            return null;
        }
        try {
            XorPeerAddressAttribute attribute = (XorPeerAddressAttribute) AttributeDecoder.decode(msg, at, length);
            TransportAddress address = attribute.getAddress(transaction);
            return new InetSocketAddress(address.getAddress(), address.getPort());
        } catch (StunException e) {
            return null;
        }
    }

    /**
     * The bytes ice4j may decode. Its decoders of REQUESTED-ADDRESS-FAMILY and EVEN-PORT want a
     * 1-byte and a 4-byte value where RFC 8656 18.1 and 18.3 have 4 and 1 (coturn's and
     * browsers' clients send them so), and would fail the whole message. The first is read from
     * the raw bytes instead and the second is ignored; both are hidden from ice4j in a copy as
     * unknown optional attributes (0x8000), with the FINGERPRINT made again for the copy (ice4j
     * checks it).
     */
    private static byte[] forIce4j(byte[] msg, StunScan scan) {
        if (scan.familyAt < 0 && scan.evenPortAt < 0) {
            return msg;
        }
        byte[] copy = msg.clone();
        for (int at : new int[] {scan.familyAt, scan.evenPortAt}) {
            if (at >= 0) {
                StunIntegrity.writeShort(copy, at, 0x8000);
            }
        }
        if (scan.fingerprintAt > 0) {
            StunIntegrity.writeInt(copy, scan.fingerprintAt + 4, StunIntegrity.fingerprint(copy, 0, scan.fingerprintAt));
        }
        return copy;
    }

    /** LIFETIME's value (unsigned), or -1 when absent. */
    private static long requestedLifetime(Request request) {
        LifetimeAttribute lifetime = (LifetimeAttribute) request.getAttribute(Attribute.LIFETIME);
        return lifetime == null ? -1 : Integer.toUnsignedLong(lifetime.getLifetime());
    }

    private static UnknownAttributesAttribute unknownAttributes(StunScan scan) {
        UnknownAttributesAttribute attribute = AttributeFactory.createUnknownAttributesAttribute();
        for (char type : scan.unknown) {
            attribute.addAttributeID(type);
        }
        return attribute;
    }

    private static TransportAddress transportAddress(InetSocketAddress address) {
        return new TransportAddress(address, Transport.UDP);
    }

    private void refuse(TurnClient client, int method, byte[] transaction, TurnRefusal refusal, byte[] key,
            Attribute... extra) {
        metrics.refused(refusal);
        send(client, TurnResponses.error(method, transaction, refusal.code(), refusal.reasonPhrase(), key, extra));
    }

    private void send(TurnClient client, byte[] message) {
        io.sendToClient(client, message, 0, message.length);
    }
}
