package org.atrium.signaling.whip;

/**
 * A WHIP or WHEP request refused with an HTTP status (RFC 9725, RFC 9110): the message
 * goes back as the response's text body, so it says what was wrong and how to do better.
 */
public final class HttpError extends Exception {

    private final int status;

    public HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static HttpError badRequest(String message) {
        return new HttpError(400, message);
    }

    static HttpError notAcceptable(String message) {
        return new HttpError(406, message);
    }
}
