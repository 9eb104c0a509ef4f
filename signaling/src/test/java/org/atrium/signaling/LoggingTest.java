package org.atrium.signaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Logs name the room and participant they are about (MDC), and the JSON format gives one
 * parseable object a line with them in it.
 */
@Timeout(30)
class LoggingTest {

    @Test
    void joinAndLeaveLinesCarryRoomAndParticipant() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        try (TestServer server = TestServer.start();
                SignalingClient client = new SignalingClient(server.webSocket())) {
            client.send("{\"type\":\"join\",\"room\":\"logged\",\"name\":\"Ada\"}");
            String id = client.await("joined", Duration.ofSeconds(5)).path("participantId").asText();
            client.send("{\"type\":\"leave\"}");
            client.closed().get();
            ILoggingEvent joined = find(events, "joined");
            assertEquals("logged", joined.getMDCPropertyMap().get("room"));
            assertEquals(id, joined.getMDCPropertyMap().get("participant"));
            ILoggingEvent left = find(events, "left");
            assertEquals(id, left.getMDCPropertyMap().get("participant"));
        } finally {
            root.detachAppender(events);
        }
    }

    private static ILoggingEvent find(ListAppender<ILoggingEvent> events, String word) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (events.list) {
                for (ILoggingEvent event : events.list) {
                    if (event.getFormattedMessage().startsWith("Participant") && event.getFormattedMessage().contains(word)) {
                        return event;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no 'Participant ... " + word + "' line");
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonFormatWritesOneObjectALineWithTheMdc() throws Exception {
        String previous = System.getProperty("atrium.log.format");
        LoggerContext context = new LoggerContext();
        byte[] encoded;
        try {
            System.setProperty("atrium.log.format", "json");
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(LoggingTest.class.getResource("/logback.xml"));
            Logger logger = context.getLogger("org.atrium.Test");
            LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "Something about {}",
                    null, new Object[] {"a \"quoted\" thing"});
            event.setMDCPropertyMap(Map.of("room", "room-1", "participant", "p0000002a"));
            ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) context
                    .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("console");
            assertNotNull(console, "the configured appender");
            encoded = console.getEncoder().encode(event);
        } finally {
            context.stop();
            if (previous == null) {
                System.clearProperty("atrium.log.format");
            } else {
                System.setProperty("atrium.log.format", previous);
            }
        }
        String text = new String(encoded, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n") && text.indexOf('\n') == text.length() - 1, "one line: " + text);
        JsonNode line = new ObjectMapper().readTree(text);
        assertEquals("INFO", line.path("level").asText());
        assertEquals("org.atrium.Test", line.path("loggerName").asText());
        assertEquals("Something about a \"quoted\" thing", line.path("formattedMessage").asText());
        assertEquals("room-1", line.path("mdc").path("room").asText());
        assertEquals("p0000002a", line.path("mdc").path("participant").asText());
        assertTrue(line.path("timestamp").asLong() > 0);
    }
}
