package org.atrium.sfu;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An ICE connectivity check as a browser sends one (RFC 8445 7.1.2, RFC 5389): a STUN
 * Binding Request with USERNAME, PRIORITY, ICE-CONTROLLED, MESSAGE-INTEGRITY keyed with
 * the given password, and FINGERPRINT. Built by hand so that tests can get it wrong on
 * purpose.
 */
final class StunBindingRequest {

    private static final int MAGIC_COOKIE = 0x2112A442;

    private StunBindingRequest() {
    }

    static byte[] build(String username, String password, Random random) throws Exception {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        int userPadded = (user.length + 3) & ~3;
        int attributes = 4 + userPadded + 8 + 12 + 24 + 8;
        ByteBuffer message = ByteBuffer.allocate(20 + attributes);
        message.putShort((short) 0x0001).putShort((short) 0).putInt(MAGIC_COOKIE);
        byte[] transaction = new byte[12];
        random.nextBytes(transaction);
        message.put(transaction);
        message.putShort((short) 0x0006).putShort((short) user.length).put(user);
        message.put(new byte[userPadded - user.length]);
        message.putShort((short) 0x0024).putShort((short) 4).putInt(1845501695);
        message.putShort((short) 0x8029).putShort((short) 8).putLong(random.nextLong());
        return signed(message, password);
    }

    /**
     * Adds MESSAGE-INTEGRITY (HMAC-SHA1 keyed with {@code password}) and FINGERPRINT to a message
     * whose attributes end at the buffer's position; the buffer has room for both.
     */
    static byte[] signed(ByteBuffer message, String password) throws Exception {
        // MESSAGE-INTEGRITY covers the message so far, its length field counting itself.
        int integrityAt = message.position();
        message.putShort(2, (short) (integrityAt - 20 + 24));
        Mac hmac = Mac.getInstance("HmacSHA1");
        hmac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        hmac.update(message.array(), 0, integrityAt);
        message.putShort((short) 0x0008).putShort((short) 20).put(hmac.doFinal());
        // FINGERPRINT: CRC-32 of everything before it, length counting it, XOR "STUN".
        int fingerprintAt = message.position();
        message.putShort(2, (short) (fingerprintAt - 20 + 8));
        CRC32 crc = new CRC32();
        crc.update(message.array(), 0, fingerprintAt);
        message.putShort((short) 0x8028).putShort((short) 4).putInt((int) (crc.getValue() ^ 0x5354554EL));
        return message.array();
    }
}
