package org.atrium.dtls;

/**
 * Which side of the DTLS handshake an endpoint plays. With SDP, {@code a=setup:active} is the
 * client and {@code a=setup:passive} the server (RFC 5763 section 5); Chrome answers an
 * actpass offer with active, making the SFU the server.
 */
public enum DtlsRole {
    CLIENT,
    SERVER
}
