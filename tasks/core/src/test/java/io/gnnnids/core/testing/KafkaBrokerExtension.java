package io.gnnnids.core.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real Kafka broker (see {@link KafkaBroker}) before a test class and stops it after the class.
 * Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
 * ... kafka.bootstrapServers() ...
 * }</pre>
 *
 * Tests of one class share the broker, so each should use its own topic and group names.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private final boolean sasl;
    private KafkaBroker broker;

    public KafkaBrokerExtension() {
        this(false);
    }

    private KafkaBrokerExtension(boolean sasl) {
        this.sasl = sasl;
    }

    /** A broker whose clients must log in with SASL/PLAIN: see {@link KafkaBroker#startWithSasl()}. */
    public static KafkaBrokerExtension withSasl() {
        return new KafkaBrokerExtension(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = sasl ? KafkaBroker.startWithSasl() : KafkaBroker.start();
    }

    /** The client settings the broker requires (empty for a plaintext broker). */
    public java.util.Properties clientSecurity() {
        return broker.clientSecurity();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public String bootstrapServers() {
        if (broker == null) {
            throw new IllegalStateException("the Kafka broker runs only while the test class runs:"
                    + " register KafkaBrokerExtension on a static field");
        }
        return broker.bootstrapServers();
    }
}
