package io.gnnnids.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class StepLoggingTest {

    private final LoggerContext context = new LoggerContext();

    @Test
    void writesEachLevelAsThePatternTheStepsUsedToLogWith() {
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(context);
        pattern.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{0} - %msg%n");
        pattern.start();
        StepLogging.Line line = new StepLogging.Line();
        for (Level level : new Level[] {Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE}) {
            LoggingEvent e = event(level, null);
            assertEquals(pattern.doLayout(e), line.doLayout(e));
        }
        assertEquals(
                "2026-12-01T10:00:00.007Z INFO  BatchStager - staged 3 flows" + System.lineSeparator(),
                line.doLayout(event(Level.INFO, null)));
    }

    @Test
    void followsTheLineWithTheStackTrace() {
        String out = new StepLogging.Line().doLayout(event(Level.ERROR, new IllegalStateException("broker gone")));
        assertTrue(
                out.startsWith("2026-12-01T10:00:00.007Z ERROR BatchStager - staged 3 flows" + System.lineSeparator()
                        + "java.lang.IllegalStateException: broker gone"),
                out);
        assertTrue(out.contains("\tat io.gnnnids.core.cli.StepLoggingTest"), out);
    }

    /**
     * --verbose is parsed while the start-up thread may be setting up logging: the option and the set-up can come in
     * either order, and both end with the project's loggers at DEBUG.
     */
    @Test
    void verboseHoldsWhetherLoggingIsSetUpBeforeOrAfterTheOption() {
        LoggerContext before = new LoggerContext();
        new StepLogging().configure(before);
        StepLogging.verbose();
        LoggerContext after = new LoggerContext();
        new StepLogging().configure(after);
        for (LoggerContext c : new LoggerContext[] {before, after}) {
            assertEquals(
                    Level.DEBUG,
                    c.getLogger("io.gnnnids.core.batch.BatchStager").getEffectiveLevel());
        }
    }

    private LoggingEvent event(Level level, Throwable t) {
        LoggingEvent e = new LoggingEvent(
                "test",
                context.getLogger("io.gnnnids.core.batch.BatchStager"),
                level,
                "staged {} flows",
                t,
                new Object[] {3});
        e.setTimeStamp(java.time.Instant.parse("2026-12-01T10:00:00.007Z").toEpochMilli());
        return e;
    }
}
