package io.gnnnids.core.kafka;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.error.UsageError;
import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Base client settings shared by every step. The timeouts are what keeps a step from hanging when Kafka is
 * down: with these, any metadata or offset call against an unreachable broker fails within about
 * {@link #API_TIMEOUT}, and the failure names the bootstrap servers. A cluster with TLS or SASL gets its client
 * settings from the properties file that {@value #PROPERTIES_ENV} names, as Kafka's own tools take them with
 * {@code --command-config}.
 */
public final class KafkaClients {

    /** Upper bound for one blocking client call (metadata, offsets, commit, producer buffer wait). */
    public static final Duration API_TIMEOUT = Duration.ofSeconds(30);

    static final int REQUEST_TIMEOUT_MS = 30_000;

    /** Names a file of client properties (security.protocol, ssl.*, sasl.*) that every client of every step gets. */
    public static final String PROPERTIES_ENV = "NIDS_KAFKA_PROPERTIES";

    private KafkaClients() {}

    /**
     * What the first client costs a step before it sends anything, for {@link io.gnnnids.core.cli.Meanwhile}: the
     * protocol's message and error tables (some 800 classes), the consumer's settings, and the JVM's platform MBean
     * server, where every client registers its app-info whatever metric reporters are set.
     */
    public static void prepare() {
        ApiKeys.values();
        Errors.values();
        ConsumerConfig.configNames();
        ManagementFactory.getPlatformMBeanServer();
    }

    /**
     * Settings every client gets: bootstrap, client id {@code gnn-nids-<role>}, bounded connection timeouts, then
     * the file {@value #PROPERTIES_ENV} names, if any.
     */
    public static Properties base(String bootstrap, String role) {
        String file = System.getenv(PROPERTIES_ENV);
        return base(bootstrap, role, file == null || file.isBlank() ? null : Path.of(file));
    }

    /**
     * As {@link #base(String, String)}, with the client properties of {@code file} (null: none) over the defaults.
     * The file may tune the timeouts too; bootstrap.servers stays the step's own setting, so that one file serves
     * every step.
     */
    static Properties base(String bootstrap, String role, Path file) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, "gnn-nids-" + role);
        p.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        p.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 5_000);
        p.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 10_000);
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        // No JMX metrics: a step lives for seconds, too short to be scraped, and setting them up is about 20 ms of
        // each Kafka step's start. The properties file can name a reporter again.
        p.put(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
        // Nor metrics pushed to the broker (KIP-714): the client sets up its telemetry and asks the broker for
        // subscriptions, about 15 ms of a step's start, for a client gone before its first push.
        p.put(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, "false");
        if (file != null) {
            Properties extra = new Properties();
            try (Reader in = Files.newBufferedReader(file)) {
                extra.load(in);
            } catch (IOException e) {
                throw new UsageError(PROPERTIES_ENV + " names " + file + ", which cannot be read (" + e
                        + "): point it at a Kafka client properties file, or unset it for a plaintext cluster");
            }
            extra.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
            p.putAll(extra);
        }
        return p;
    }

    public static Properties producer(String bootstrap, String role) {
        Properties p = base(bootstrap, role);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // send() blocks at most this long for metadata or buffer space, so an unreachable broker fails fast;
        // records already sent are retried up to the delivery timeout (FlowProducer sets it).
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) API_TIMEOUT.toMillis());
        return p;
    }

    /** A consumer that never commits by itself and never creates topics; {@code group} may be null. */
    public static Properties consumer(String bootstrap, String role, String group) {
        Properties p = base(bootstrap, role);
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Aborted transactional records are never handed out; without transactions this changes nothing.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
        return p;
    }

    public static Properties admin(String bootstrap, String role) {
        Properties p = base(bootstrap, role);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
        return p;
    }

    /**
     * Turns a client exception into a one-line failure: time-outs and unresolvable addresses say to check
     * the bootstrap setting and the broker, anything else names the operation. StepFailures pass through.
     */
    public static RuntimeException failure(String bootstrap, String operation, Throwable error) {
        Throwable cause = error instanceof ExecutionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof StepFailure stepFailure) {
            return stepFailure;
        }
        if (cause instanceof TimeoutException || isUnresolvable(cause)) {
            return new StepFailure(
                    "cannot reach Kafka at " + bootstrap + " while trying to " + operation + " (" + cause.getMessage()
                            + "): check KAFKA_BOOTSTRAP_SERVERS and that Kafka is up",
                    cause);
        }
        if (cause instanceof KafkaException || cause instanceof ExecutionException) {
            return new StepFailure(
                    "Kafka at " + bootstrap + " failed to " + operation + ": " + cause.getMessage(), cause);
        }
        return cause instanceof RuntimeException runtime
                ? runtime
                : new StepFailure("Kafka at " + bootstrap + " failed to " + operation + ": " + cause, cause);
    }

    /** Runs one client call, turning its failure into {@link #failure}. */
    static <T> T call(String bootstrap, String operation, Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            throw failure(bootstrap, operation, e);
        }
    }

    private static boolean isUnresolvable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No resolvable bootstrap urls")) {
                return true;
            }
        }
        return false;
    }
}
