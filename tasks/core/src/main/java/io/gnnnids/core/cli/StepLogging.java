package io.gnnnids.core.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.slf4j.Logger;

/**
 * How every step logs: to stderr only (stdout carries one line, the manifest path, for Airflow's XCom), at INFO, with
 * the libraries' chatter turned down. Set in code rather than in a logback.xml, whose parsing took 70 ms of every
 * start, and written by {@link Line} rather than a pattern layout, whose parser and converters took 30 ms more.
 * {@code -Dlogback.configurationFile=FILE} still replaces it, and tests keep their logback-test.xml. A step's JVM
 * applies it through {@link StepLoggingProvider}; logback's own auto-configuration finds it as a {@link Configurator}
 * service elsewhere (commands run in a test's JVM).
 */
public final class StepLogging extends ContextAwareBase implements Configurator {

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

    /** The project's own loggers, which --verbose sets to DEBUG. */
    static final String PROJECT = "io.gnnnids";

    private static volatile boolean verbose;
    private static volatile LoggerContext configured;

    /**
     * Debug logging for the project's loggers (--verbose). The options are parsed while the start-up thread
     * ({@link Meanwhile}) may be setting up logging, and until it is done SLF4J hands out stand-in loggers whose level
     * cannot be set; so the flag is kept, and whichever of this and {@link #configure} comes second applies it.
     */
    static void verbose() {
        verbose = true;
        LoggerContext context = configured;
        if (context != null) {
            context.getLogger(PROJECT).setLevel(Level.DEBUG);
        }
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (configuredElsewhere()) {
            keepForVerbose(context);
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configureStep(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** A step's logging on {@code context}: its lines on stderr, the levels above, and --verbose whenever it comes. */
    static void configureStep(LoggerContext context) {
        writeToStderr(context);
        keepForVerbose(context);
    }

    private static void keepForVerbose(LoggerContext context) {
        configured = context;
        if (verbose) {
            context.getLogger(PROJECT).setLevel(Level.DEBUG);
        }
    }

    /** Whether a logback configuration file is to be read instead: one given by property, or a test's. */
    static boolean configuredElsewhere() {
        return System.getProperty("logback.configurationFile") != null
                || StepLogging.class.getClassLoader().getResource("logback-test.xml") != null;
    }

    private static void writeToStderr(LoggerContext context) {
        Line line = new Line();
        line.setContext(context);
        line.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(line);
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
    }

    /**
     * One event as one line, as the pattern {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} - %msg%n}
     * wrote it, followed by the stack trace when there is one.
     */
    static final class Line extends LayoutBase<ILoggingEvent> {

        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

        @Override
        public String doLayout(ILoggingEvent event) {
            String logger = event.getLoggerName();
            String level = event.getLevel().toString();
            StringBuilder b = new StringBuilder(128)
                    .append(TIME.format(Instant.ofEpochMilli(event.getTimeStamp())))
                    .append(' ')
                    .append(level)
                    .append("     ", level.length(), 5)
                    .append(' ')
                    .append(logger, logger.lastIndexOf('.') + 1, logger.length())
                    .append(" - ")
                    .append(event.getFormattedMessage())
                    .append(System.lineSeparator());
            if (event.getThrowableProxy() != null) {
                b.append(ThrowableProxyUtil.asString(event.getThrowableProxy())).append(System.lineSeparator());
            }
            return b.toString();
        }
    }
}
