package io.gnnnids.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class StepLoggingProviderTest {

    /** This module's tests have a logback-test.xml, which logback's own auto-configuration reads as before. */
    @Test
    void aLogbackConfigurationFileIsStillRead() {
        StepLoggingProvider provider = new StepLoggingProvider();
        provider.initialize();
        LoggerContext context = (LoggerContext) provider.getLoggerFactory();
        assertTrue(context.isStarted());
        assertEquals(Level.WARN, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel(), "logback-test.xml's root");
        assertNotNull(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
    }

    @Test
    void aStepsContextIsStartedAsLogbacksOwnProviderStartsIt() {
        StepLoggingProvider provider = new StepLoggingProvider();
        provider.initializeAsStep();
        LoggerContext context = (LoggerContext) provider.getLoggerFactory();
        assertTrue(context.isStarted());
        assertEquals("default", context.getName());
        assertNotNull(context.getMDCAdapter());
        // Applied directly, without the check that defers to this module's logback-test.xml.
        assertEquals(Level.INFO, context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel());
        assertNotNull(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
    }
}
