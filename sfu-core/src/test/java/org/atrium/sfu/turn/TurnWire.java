package org.atrium.sfu.turn;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.ErrorCodeAttribute;
import org.ice4j.message.Message;

/**
 * Builds client messages as raw bytes, attribute by attribute, the way a browser's TURN client
 * writes them (MESSAGE-INTEGRITY, then FINGERPRINT), and reads the engine's answers.
 */
final class TurnWire {

    static final int ALLOCATE = 0x0003;
    static final int REFRESH = 0x0004;
    static final int CREATE_PERMISSION = 0x0008;
    static final int CHANNEL_BIND = 0x0009;
    static final int BINDING = 0x0001;

    private TurnWire() {
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);   // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static InetSocketAddress address(String literal, int port) {
        return new InetSocketAddress(ip(literal), port);
    }

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s|]", ""));
    }

    static byte[] tid(int n) {
        byte[] tid = new byte[12];
        StunIntegrity.writeInt(tid, 8, n);
        tid[0] = 0x54;
        return tid;
    }

    /** A type-length-value attribute, zero-padded to four bytes. */
    static byte[] attr(int type, byte[] value) {
        byte[] out = new byte[4 + ((value.length + 3) & ~3)];
        StunIntegrity.writeShort(out, 0, type);
        StunIntegrity.writeShort(out, 2, value.length);
        System.arraycopy(value, 0, out, 4, value.length);
        return out;
    }

    static byte[] text(int type, String value) {
        return attr(type, value.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] u32(int type, int value) {
        byte[] v = new byte[4];
        StunIntegrity.writeInt(v, 0, value);
        return attr(type, v);
    }

    static byte[] requestedTransport(int protocol) {
        return attr(0x0019, new byte[] {(byte) protocol, 0, 0, 0});
    }

    static byte[] lifetime(int seconds) {
        return u32(0x000D, seconds);
    }

    static byte[] channelNumber(int channel) {
        return u32(0x000C, channel << 16);
    }

    static byte[] xorPeer(InetSocketAddress peer) {
        byte[] v = new byte[8];
        XorAddress.writeIpv4(v, 0, peer);
        return attr(0x0012, v);
    }

    static byte[] data(byte[] payload) {
        return attr(0x0013, payload);
    }

    /** A message of {@code type} with these attributes and no integrity. */
    static byte[] message(int type, byte[] tid, byte[]... attributes) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] a : attributes) {
            body.writeBytes(a);
        }
        byte[] out = new byte[20 + body.size()];
        StunIntegrity.writeShort(out, 0, type);
        StunIntegrity.writeShort(out, 2, body.size());
        StunIntegrity.writeInt(out, 4, StunScan.MAGIC_COOKIE);
        System.arraycopy(tid, 0, out, 8, 12);
        System.arraycopy(body.toByteArray(), 0, out, 20, body.size());
        return out;
    }

    /** A request with USERNAME, REALM, NONCE, these attributes, MESSAGE-INTEGRITY by the long-term key, FINGERPRINT. */
    static byte[] signed(int method, byte[] tid, TurnCredential credential, String realm, String nonce,
            byte[]... attributes) {
        byte[][] all = new byte[attributes.length + 3][];
        all[0] = text(0x0006, credential.username());
        all[1] = text(0x0014, realm);
        all[2] = text(0x0015, nonce);
        System.arraycopy(attributes, 0, all, 3, attributes.length);
        return StunIntegrity.seal(message(method, tid, all),
                StunIntegrity.longTermKey(credential.username(), realm, credential.password()));
    }

    static int type(byte[] msg) {
        return StunIntegrity.readShort(msg, 0);
    }

    static Message decode(byte[] msg) {
        try {
            return Message.decode(msg, 0, msg.length);
        } catch (Exception e) {
            throw new AssertionError("the engine sent what does not decode: " + HexFormat.of().formatHex(msg), e);
        }
    }

    /** The ERROR-CODE of an error response, 0 for a success. */
    static int errorCode(byte[] msg) {
        ErrorCodeAttribute error = (ErrorCodeAttribute) decode(msg).getAttribute(Attribute.ERROR_CODE);
        return error == null ? 0 : error.getErrorClass() * 100 + error.getErrorNumber();
    }
}
