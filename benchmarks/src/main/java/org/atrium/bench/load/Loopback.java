package org.atrium.bench.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/** The load generator sends only to this host: every target address is checked here. */
final class Loopback {

    private Loopback() {
    }

    /** True for a literal loopback address (no name resolution for anything else). */
    static boolean isLoopback(String host) {
        try {
            String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            if (!literal.equals("localhost") && !literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                return false;
            }
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static URI requireLoopback(URI uri) {
        if (uri.getHost() == null || !isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("only loopback targets are allowed (127.0.0.1), not " + uri);
        }
        return uri;
    }
}
