package io.gnnnids.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> bodies = new ArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    /** A local webhook that answers 500 to its first {@code failures} requests, then 200. */
    private URI start(int failures) throws Exception {
        failuresLeft.set(failures);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
            if (status == 200)
                synchronized (bodies) {
                    bodies.add(body);
                }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private Webhook webhook(URI url, int batch, int maxPosts) {
        return new Webhook(
                dir.resolve("webhook-pending.json"),
                url,
                batch,
                maxPosts,
                List.of(Duration.ofMillis(10), Duration.ofMillis(20)));
    }

    private static Map<String, String> messages(int from, int to) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = from; i < to; i++) m.put("inc-" + i + "#1", "incident " + i);
        return m;
    }

    @Test
    void retriesAServiceThatFailsAtFirstAndSendsInBatchesAsSlackExpects() throws Exception {
        Webhook hook = webhook(start(2), 2, 5);
        hook.enqueue(messages(0, 3));
        hook.enqueue(messages(0, 1)); // queued twice, sent once
        assertEquals(new Webhook.Delivery(3, 0, null), hook.deliver());
        assertEquals(List.of("{\"text\":\"incident 0\\nincident 1\"}", "{\"text\":\"incident 2\"}"), bodies);
        assertEquals(new Webhook.Delivery(0, 0, null), hook.deliver(), "nothing waits any more");
    }

    @Test
    void aServiceThatKeepsFailingLosesNothingAndARunSendsAtMostItsShare() throws Exception {
        URI down = start(1_000);
        Webhook failing = webhook(down, 2, 5);
        failing.enqueue(messages(0, 5));
        Webhook.Delivery d = failing.deliver();
        assertEquals(0, d.sent());
        assertEquals(5, d.pending());
        assertTrue(d.error().contains("HTTP 500"), d.error());

        failuresLeft.set(0); // the service is back: two posts a run, two messages each
        Webhook back = webhook(down, 2, 2);
        assertEquals(new Webhook.Delivery(4, 1, null), back.deliver());
        assertEquals(new Webhook.Delivery(1, 0, null), back.deliver());
        assertEquals(3, bodies.size());
        assertTrue(bodies.get(2).contains("incident 4"), bodies.toString());
    }

    @Test
    void anUnreachableServiceIsReportedNotThrown() throws Exception {
        URI url = start(0);
        server.stop(0);
        server = null;
        Webhook hook = webhook(url, 20, 5);
        hook.enqueue(messages(0, 1));
        Webhook.Delivery d = hook.deliver();
        assertEquals(1, d.pending());
        assertTrue(d.error().startsWith("cannot reach http://127.0.0.1:"), d.error());
    }
}
