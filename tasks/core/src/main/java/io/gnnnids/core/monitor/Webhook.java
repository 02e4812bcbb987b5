package io.gnnnids.core.monitor;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gnnnids.core.util.JsonFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alerts for a chat channel: messages wait in a queue file ({@code webhook-pending.json}) until a webhook took
 * them, so a failure never loses one. Each run posts what waits, {@code batch} messages per request as one
 * Slack-compatible body ({@code {"text": ...}}), at most {@code maxPosts} requests a run (the rest wait: a burst
 * of incidents does not flood the channel), each retried with doubling backoff. A message is queued under a key
 * (incident id and revision), so queueing the same one twice sends it once.
 */
public final class Webhook {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a delivery run did: messages sent, still waiting, and the last error (null when none). */
    public record Delivery(int sent, int pending, String error) {}

    private final Path queue;
    private final URI url;
    private final int batch;
    private final int maxPosts;
    private final List<Duration> backoff;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public Webhook(Path queue, URI url, int batch, int maxPosts, List<Duration> backoff) {
        this.queue = queue;
        this.url = url;
        this.batch = batch;
        this.maxPosts = maxPosts;
        this.backoff = backoff;
    }

    /** Adds messages by key; a key already waiting keeps its place. Written before they are sent anywhere else. */
    public void enqueue(Map<String, String> messages) throws IOException {
        if (messages.isEmpty()) return;
        Map<String, String> waiting = pending();
        messages.forEach(waiting::putIfAbsent);
        JsonFiles.writeAtomically(waiting, queue);
    }

    /** Posts what waits, oldest first; what was taken leaves the queue. */
    public Delivery deliver() throws IOException {
        Map<String, String> waiting = pending();
        int sent = 0;
        String error = null;
        for (int post = 0; post < maxPosts && !waiting.isEmpty(); post++) {
            List<String> keys = new ArrayList<>(waiting.keySet()).subList(0, Math.min(batch, waiting.size()));
            StringBuilder text = new StringBuilder();
            for (String k : keys) text.append(text.length() == 0 ? "" : "\n").append(waiting.get(k));
            error = post(JSON.writeValueAsString(Map.of("text", text.toString())));
            if (error != null) break;
            keys.forEach(waiting::remove);
            sent += keys.size();
            JsonFiles.writeAtomically(waiting, queue);
        }
        return new Delivery(sent, waiting.size(), error);
    }

    /** Null when the webhook took the body (2xx), else why not, after every retry. */
    private String post(String body) {
        String error = null;
        for (int attempt = 0; attempt <= backoff.size(); attempt++) {
            if (attempt > 0) sleep(backoff.get(attempt - 1));
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(url)
                                .timeout(Duration.ofSeconds(30))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 == 2) return null;
                error = "HTTP " + r.statusCode() + " from " + url;
            } catch (IOException e) {
                error = "cannot reach " + url + ": " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while posting to " + url;
            }
        }
        return error;
    }

    private Map<String, String> pending() throws IOException {
        return Files.exists(queue)
                ? JSON.readValue(queue.toFile(), new TypeReference<LinkedHashMap<String, String>>() {})
                : new LinkedHashMap<>();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
