package org.atrium.signaling.whip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.atrium.signaling.sdp.CandidateParser;
import org.atrium.signaling.sdp.SdpException;
import org.atrium.signaling.sdp.SessionDescription;
import org.atrium.sfu.transport.IceCandidate;

/**
 * The body of a WHIP or WHEP PATCH: an {@code application/trickle-ice-sdpfrag} (RFC 8840
 * 9): ICE credentials, then m-lines with their mid and candidates.
 *
 * @param iceUfrag the credentials the fragment names, or null; others than the session's
 *     mean an ICE restart
 * @param candidates the usable candidates, in order (mDNS and unknown TCP types are left
 *     out, as {@link CandidateParser} does)
 */
record TrickleFragment(String iceUfrag, String icePassword, List<IceCandidate> candidates, boolean endOfCandidates) {

    /** As many candidates as one offer may carry. */
    static final int MAX_CANDIDATES = 64;

    static TrickleFragment parse(byte[] body) throws SdpException {
        if (body.length > SessionDescription.MAX_LENGTH) {
            throw new SdpException("the fragment is longer than " + SessionDescription.MAX_LENGTH + " bytes");
        }
        String ufrag = null;
        String password = null;
        boolean end = false;
        List<IceCandidate> candidates = new ArrayList<>();
        int parsed = 0;
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new SdpException("line " + (i + 1) + " is not of the form x=...");
            }
            if (line.startsWith("a=ice-ufrag:")) {
                ufrag = line.substring("a=ice-ufrag:".length()).strip();
            } else if (line.startsWith("a=ice-pwd:")) {
                password = line.substring("a=ice-pwd:".length()).strip();
            } else if (line.startsWith("a=candidate:")) {
                if (++parsed > MAX_CANDIDATES) {
                    throw new SdpException("more than " + MAX_CANDIDATES + " candidates");
                }
                IceCandidate candidate = CandidateParser.parse(line);
                if (candidate != null) {
                    candidates.add(candidate);
                }
            } else if (line.equals("a=end-of-candidates")) {
                end = true;
            }
            // m=, a=mid and the rest: with BUNDLE every candidate is the one transport's.
        }
        if ((ufrag == null) != (password == null)) {
            throw new SdpException("a fragment names both a=ice-ufrag and a=ice-pwd, or neither");
        }
        return new TrickleFragment(ufrag, password, candidates, end);
    }
}
