package org.atrium.signaling.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Prints a join token, for tests and operators:
 * {@code java -cp atrium.jar org.atrium.signaling.auth.MintToken --room R --identity I [...]}.
 * See {@link #USAGE}. The secret may come from {@code ATRIUM_JWT_SECRET} so that it does
 * not show in the process list.
 */
public final class MintToken {

    public static final String USAGE = """
            Usage: java -cp atrium.jar org.atrium.signaling.auth.MintToken [options]
              --room ROOM            the room the token admits to (required)
              --identity ID          who holds it: the token's 'sub' (required)
              --name NAME            display name shown to the others (default: the client's own)
              --ttl SECONDS          valid for this long from now (default 3600)
              --no-publish           the holder may not send tracks
              --no-subscribe         the holder receives no tracks
              --no-data              the holder may not send data-channel messages (it still receives them)
              --secret SECRET        HS256 with this secret, at least 32 bytes (or ATRIUM_JWT_SECRET)
              --private-key FILE     ES256 with this PEM PKCS#8 P-256 private key
              --help                 this text
            Prints the token on standard output.
            """;

    private MintToken() {
    }

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command; returns the exit status (0 ok, 2 bad usage). */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String room = null;
        String identity = null;
        String name = null;
        long ttlSeconds = 3600;
        boolean publish = true;
        boolean subscribe = true;
        Boolean data = null;
        String secret = env.get("ATRIUM_JWT_SECRET");
        Path privateKey = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--no-publish" -> publish = false;
                    case "--no-subscribe" -> subscribe = false;
                    case "--no-data" -> data = false;
                    case "--help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--room", "--identity", "--name", "--ttl", "--secret", "--private-key" -> {
                        if (i + 1 >= args.length) {
                            throw new IllegalArgumentException(arg + " needs a value");
                        }
                        String value = args[++i];
                        switch (arg) {
                            case "--room" -> room = value;
                            case "--identity" -> identity = value;
                            case "--name" -> name = value;
                            case "--ttl" -> ttlSeconds = ttl(value);
                            case "--secret" -> secret = value;
                            default -> privateKey = Path.of(value);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option " + arg);
                }
            }
            if (room == null || identity == null) {
                throw new IllegalArgumentException("--room and --identity are required");
            }
            if (!publish && !subscribe) {
                throw new IllegalArgumentException("a token with --no-publish and --no-subscribe allows nothing");
            }
            JoinTokenMinter minter;
            if (privateKey != null) {
                minter = JoinTokenMinter.es256(EcPemKeys.readPrivateKey(privateKey));
            } else if (secret != null && !secret.isEmpty()) {
                minter = JoinTokenMinter.hs256(secret.getBytes(StandardCharsets.UTF_8));
            } else {
                throw new IllegalArgumentException("give --secret (or ATRIUM_JWT_SECRET) or --private-key");
            }
            Instant now = Instant.now();
            out.println(minter.mint(new JoinTokenMinter.Request(room, identity, name, publish, subscribe, data, now,
                    now.plus(Duration.ofSeconds(ttlSeconds)))));
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            err.println("MintToken: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
    }

    private static long ttl(String value) {
        try {
            long seconds = Long.parseLong(value);
            if (seconds < 1) {
                throw new IllegalArgumentException("--ttl must be at least 1 second");
            }
            return seconds;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ttl must be a number of seconds, not '" + value + "'");
        }
    }
}
