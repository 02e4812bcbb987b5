package io.gnnnids.core.monitor;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.incident.Incident;
import io.gnnnids.core.incident.IncidentAlerts;
import io.gnnnids.core.kafka.AlertTopic;
import io.gnnnids.core.store.HotStore;
import io.gnnnids.core.store.IncidentTable;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends the incidents that are new or escalated since the alerts topic last heard of them: to the topic (one
 * transaction, the topic being the record of what was sent) and, when there is one, to the webhook. Used in three
 * steps so the hot store is open only while it is read: {@link #readSent}, {@link #collect}, {@link #send}.
 */
public final class IncidentPublisher {

    /** What a run sent: messages on the topic, the webhook's delivery (null without one), the first error. */
    public record Outcome(int published, Webhook.Delivery webhook, String error) {}

    private final String bootstrap;
    private final String topic;
    private final Webhook webhook;
    private Map<String, Incident> sent;
    private String error;
    private final List<AlertTopic.Message> messages = new ArrayList<>();
    private final Map<String, String> texts = new LinkedHashMap<>();

    /** {@code webhook} may be null. */
    public IncidentPublisher(String bootstrap, String topic, Webhook webhook) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.webhook = webhook;
    }

    /** Reads back what the topic holds; a failure is kept for the outcome, and nothing is collected then. */
    public void readSent() {
        try {
            sent = IncidentAlerts.published(AlertTopic.lastByKey(bootstrap, topic));
        } catch (StepFailure e) {
            error = e.getMessage();
        }
    }

    /** Builds the messages of the incidents due, with their top flows, from the open store. */
    public void collect(HotStore store, Instant now) {
        if (sent == null) return;
        for (IncidentAlerts.Due due : IncidentAlerts.due(IncidentTable.all(store), sent)) {
            String id = due.incident().id();
            messages.add(new AlertTopic.Message(
                    id, IncidentAlerts.message(due, IncidentTable.topFlows(store, id, IncidentAlerts.TOP_FLOWS), now)));
            texts.put(id + "#" + due.incident().revision(), IncidentAlerts.text(due));
        }
    }

    /** How many incidents are due ({@code -1} when the topic could not be read). */
    public int due() {
        return sent == null ? -1 : messages.size();
    }

    /** Sends what {@link #collect} found, then what waits for the webhook. */
    public Outcome send() throws IOException {
        // Queued before the topic records them as sent: a run that dies in between sends them twice, never not.
        if (webhook != null) webhook.enqueue(texts);
        int published = 0;
        if (!messages.isEmpty()) {
            try {
                AlertTopic.publish(bootstrap, topic, "gnn-nids-alerts-" + topic, messages);
                published = messages.size();
            } catch (StepFailure e) {
                error = e.getMessage();
            }
        }
        return new Outcome(published, webhook == null ? null : webhook.deliver(), error);
    }
}
