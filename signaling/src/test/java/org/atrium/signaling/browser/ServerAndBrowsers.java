package org.atrium.signaling.browser;

import org.atrium.signaling.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The frame of a browser test against Atrium: a server on loopback and a Chromium
 * launcher, started before each test and stopped after it (browsers first).
 */
abstract class ServerAndBrowsers {

    protected TestServer server;
    protected Chromium chromium;

    /** The server under test; a test class overrides this for other settings. */
    protected TestServer startServer() throws Exception {
        return TestServer.start();
    }

    @BeforeEach
    final void startServerAndBrowsers() throws Exception {
        Chromium.assumeInstalled();
        server = startServer();
        chromium = Chromium.launch();
    }

    @AfterEach
    final void stopBrowsersAndServer() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
