package org.atrium.signaling.sdp;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The {@code name=value;name=value} list of an a=fmtp line (RFC 8866 6.15), in its order. */
final class FmtpParameters {

    private FmtpParameters() {
    }

    /** Names lower-cased, values trimmed; a name alone maps to "", a repeated name keeps its first value. */
    static Map<String, String> parse(String fmtp) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : fmtp.split(";")) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            String name = (equals < 0 ? trimmed : trimmed.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
            parameters.putIfAbsent(name, equals < 0 ? "" : trimmed.substring(equals + 1).trim());
        }
        return parameters;
    }
}
