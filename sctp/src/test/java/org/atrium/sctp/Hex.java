package org.atrium.sctp;

/** Test bytes written as annotated hex: whitespace and '|' separate fields, "#..." to end of line is a comment. */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String annotated) {
        String digits = annotated.replaceAll("#[^\\n]*", "").replaceAll("[\\s|]", "");
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + digits);
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** {@code bytes} placed at {@code off} in a larger buffer filled with 0xEE, to catch offset mistakes. */
    public static byte[] at(int off, byte[] bytes) {
        byte[] out = new byte[off + bytes.length + 7];
        java.util.Arrays.fill(out, (byte) 0xEE);
        System.arraycopy(bytes, 0, out, off, bytes.length);
        return out;
    }

    public static String of(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            s.append(String.format("%02x", b[i] & 0xFF));
        }
        return s.toString();
    }
}
