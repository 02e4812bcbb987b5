package io.gnnnids.core.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.slf4j.Logger;

import java.util.Map;

/**
 * How every step logs: to stderr only (stdout carries one line, the manifest path, for Airflow's XCom), at INFO, with
 * the libraries' chatter turned down. Set in code rather than in a logback.xml, whose parsing took 70 ms of every
 * start. {@code -Dlogback.configurationFile=FILE} still replaces it, and tests keep their logback-test.xml.
 */
public final class StepLogging extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} - %msg%n";

    static final Map<String, Level> LEVELS = Map.of(
            "org.apache.kafka", Level.WARN,
            // While Kafka is down the client warns once a second; the step reports the failure once, clearly.
            "org.apache.kafka.clients.NetworkClient", Level.ERROR,
            "org.apache.parquet", Level.WARN,
            "software.amazon.awssdk", Level.WARN,
            "org.apache.hadoop", Level.ERROR,
            // mlflow-client warns on every 404, which is how a missing experiment, model or alias is answered.
            "org.mlflow.tracking.MlflowHttpCaller", Level.ERROR,
            // DJL reports the engine and natives it loads at INFO.
            "ai.djl", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || StepLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
