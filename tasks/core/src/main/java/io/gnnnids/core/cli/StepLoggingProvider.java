package io.gnnnids.core.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.core.CoreConstants;

/**
 * SLF4J's binding in a step's JVM ({@link Cli#main} names it in {@code slf4j.provider}): logback's, set up by
 * {@link StepLogging} directly. Found the usual way, logging cost every step some 20-40 ms before its first line:
 * SLF4J and logback each look their services up in the jar, and logback checks versions, times its configurators
 * and sets up a status printer. A {@code logback.configurationFile} or a logback-test.xml is still read by logback's
 * own auto-configuration.
 */
public final class StepLoggingProvider extends LogbackServiceProvider {

    @Override
    public void initialize() {
        if (StepLogging.configuredElsewhere()) {
            super.initialize();
        } else {
            initializeAsStep();
        }
    }

    /** What {@code super.initialize()} does, with the configuration applied rather than searched for. */
    void initializeAsStep() {
        LoggerContext context = (LoggerContext) getLoggerFactory();
        context.setName(CoreConstants.DEFAULT_CONTEXT_NAME);
        context.setMDCAdapter(getMDCAdapter());
        StepLogging.configureStep(context);
        context.start();
    }
}
