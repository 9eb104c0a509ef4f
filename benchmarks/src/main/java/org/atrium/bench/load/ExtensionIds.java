package org.atrium.bench.load;

/**
 * Header extension ids as negotiated in SDP (RFC 8285); 0 when an extension is not
 * negotiated and so must not be sent.
 */
record ExtensionIds(int audioLevel, int transportCc, int mid, int rid) {

    static final ExtensionIds NONE = new ExtensionIds(0, 0, 0, 0);

    /** The ids the SFU offers by default, for the raw relay which negotiates nothing. */
    static final ExtensionIds SFU_DEFAULTS = new ExtensionIds(1, 3, 4, 10);
}
