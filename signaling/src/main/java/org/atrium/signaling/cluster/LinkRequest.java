package org.atrium.signaling.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.atrium.dtls.Fingerprint;
import org.atrium.sfu.relay.RelayLink;
import org.atrium.sfu.transport.IceCandidate;
import org.atrium.signaling.sdp.CandidateParser;
import org.atrium.signaling.sdp.SdpException;

/**
 * The body of a link request and of its answer (docs/cluster.md, "Authentication"): the
 * sending node's id, its link parameters, and its token.
 *
 * <pre>
 * {"node": "node-a", "token": "eyJ…",
 *  "ice": {"ufrag": "…", "pwd": "…", "candidates": ["candidate:1 1 udp 2130706431 10.0.0.1 40000 typ host"]},
 *  "fingerprint": "sha-256 AB:CD:…"}
 * </pre>
 */
record LinkRequest(String node, String token, RelayLink.Parameters parameters) {

    static final int MAX_BODY_BYTES = 16 * 1024;
    static final int MAX_CANDIDATES = 32;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fingerprint as the token names it: {@code sha-256 AB:CD:…}. */
    static String fingerprintText(Fingerprint fingerprint) {
        return fingerprint.hashFunction() + " " + fingerprint.value();
    }

    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("node", node);
        root.put("token", token);
        ObjectNode ice = root.putObject("ice");
        ice.put("ufrag", parameters.iceUfrag());
        ice.put("pwd", parameters.icePassword());
        ArrayNode candidates = ice.putArray("candidates");
        for (IceCandidate candidate : parameters.candidates()) {
            candidates.add(CandidateParser.format(candidate));
        }
        root.put("fingerprint", fingerprintText(parameters.fingerprint()));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a body; throws with the reason when it is not one. */
    static LinkRequest parse(byte[] body) throws IllegalArgumentException {
        if (body == null || body.length == 0 || body.length > MAX_BODY_BYTES) {
            throw new IllegalArgumentException("a link request is 1 to " + MAX_BODY_BYTES + " bytes of JSON");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String node = text(root, "node");
        if (!org.atrium.cluster.NodeInfo.isValidId(node)) {
            throw new IllegalArgumentException("node is not a node id");
        }
        String token = text(root, "token");
        JsonNode ice = root.get("ice");
        if (ice == null || !ice.isObject()) {
            throw new IllegalArgumentException("ice missing");
        }
        String ufrag = text(ice, "ufrag");
        String pwd = text(ice, "pwd");
        if (ufrag.length() < 4 || ufrag.length() > 256 || pwd.length() < 22 || pwd.length() > 256) {
            throw new IllegalArgumentException("ice ufrag or pwd of a wrong length");
        }
        JsonNode list = ice.get("candidates");
        if (list == null || !list.isArray() || list.size() == 0 || list.size() > MAX_CANDIDATES) {
            throw new IllegalArgumentException("ice.candidates must list 1 to " + MAX_CANDIDATES);
        }
        List<IceCandidate> candidates = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("a candidate is not a string");
            }
            try {
                candidates.add(CandidateParser.parse(item.asText()));
            } catch (SdpException e) {
                throw new IllegalArgumentException("bad candidate: " + e.getMessage());
            }
        }
        Fingerprint fingerprint;
        try {
            fingerprint = Fingerprint.parse(text(root, "fingerprint"));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad fingerprint");
        }
        if (!"sha-256".equalsIgnoreCase(fingerprint.hashFunction())) {
            throw new IllegalArgumentException("the fingerprint must be sha-256");
        }
        return new LinkRequest(node, token, new RelayLink.Parameters(ufrag, pwd, fingerprint, candidates));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new IllegalArgumentException(field + " missing");
        }
        return value.asText();
    }
}
