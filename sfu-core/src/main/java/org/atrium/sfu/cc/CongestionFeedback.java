package org.atrium.sfu.cc;

/** How the SFU tells a publisher what it may send. */
public enum CongestionFeedback {
    /** Transport-wide feedback; the browser estimates on its side. The default. */
    TRANSPORT_CC,
    /** A receive-side estimate sent as REMB, for publishers without transport-cc. */
    REMB
}
