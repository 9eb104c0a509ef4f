package org.atrium.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One WebSocket of the signaling protocol (docs/signaling.md): JSON text frames out, each
 * received message handed to a handler on the WebSocket's thread, in order. Sends are
 * queued one after the other, since a WebSocket takes one outstanding send at a time.
 */
final class SignalingConnection implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket socket;
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

    SignalingConnection(HttpClient client, URI uri, Consumer<JsonNode> handler) throws Exception {
        socket = client.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new Listener(handler))
                .get(10, TimeUnit.SECONDS);
    }

    ObjectNode message(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    synchronized void send(JsonNode message) {
        String text = message.toString();
        sending = sending.exceptionally(e -> null).thenCompose(ignored -> socket.sendText(text, true));
    }

    boolean isOpen() {
        return !closed.isDone() && !socket.isOutputClosed();
    }

    /** Sends {@code leave} and closes; waits briefly for the close frame. */
    @Override
    public void close() {
        if (isOpen()) {
            send(message("leave"));
            synchronized (this) {
                sending = sending.exceptionally(e -> null)
                        .thenCompose(ignored -> socket.sendClose(WebSocket.NORMAL_CLOSURE, ""));
            }
            try {
                closed.get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                // The server did not answer the close in time; abort below.
            }
        }
        socket.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final Consumer<JsonNode> handler;
        private final StringBuilder partial = new StringBuilder();

        Listener(Consumer<JsonNode> handler) {
            this.handler = handler;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    handler.accept(JSON.readTree(text));
                } catch (Exception e) {
                    // A bad message or a failing handler must not stop the stream of messages.
                    System.err.println("signaling: cannot handle " + abbreviate(text) + ": " + e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
