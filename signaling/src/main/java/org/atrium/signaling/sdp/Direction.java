package org.atrium.signaling.sdp;

/** An m-section's direction attribute (RFC 8866 6.7), from the writer's point of view. */
public enum Direction {
    SENDRECV("sendrecv"),
    SENDONLY("sendonly"),
    RECVONLY("recvonly"),
    INACTIVE("inactive");

    private final String attribute;

    Direction(String attribute) {
        this.attribute = attribute;
    }

    public String attribute() {
        return attribute;
    }

    /** The directions an answer may give to an offered direction (RFC 3264 6.1). */
    public boolean isValidAnswerTo(Direction offered) {
        return switch (offered) {
            case SENDONLY -> this == RECVONLY || this == INACTIVE;
            case RECVONLY -> this == SENDONLY || this == INACTIVE;
            case SENDRECV -> true;
            case INACTIVE -> this == INACTIVE;
        };
    }

    public static Direction fromAttribute(String name) {
        for (Direction direction : values()) {
            if (direction.attribute.equals(name)) {
                return direction;
            }
        }
        return null;
    }
}
