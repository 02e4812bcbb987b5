package io.gnnnids.core.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.kafka.KafkaClients;
import io.gnnnids.core.store.ParquetFlowWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MeanwhileTest {

    @Test
    void piecesRunInOrderOnADaemonThreadPastOneThatFails() throws InterruptedException {
        List<String> done = new CopyOnWriteArrayList<>();
        CountDownLatch finished = new CountDownLatch(1);
        Meanwhile.start(
                () -> done.add("first " + Thread.currentThread().isDaemon()),
                () -> {
                    throw new IllegalStateException("a piece that fails");
                },
                () -> {
                    throw new NoClassDefFoundError("a class that cannot load");
                },
                () -> {
                    done.add("last");
                    finished.countDown();
                });
        assertTrue(finished.await(10, TimeUnit.SECONDS), "the pieces after the failing ones ran");
        assertEquals(List.of("first true", "last"), done);
    }

    @Test
    void theStepsPiecesRunHere() {
        // What the steps start with: each must work in a plain JVM, or it would only cost time.
        assertDoesNotThrow(Cli::prepare);
        assertDoesNotThrow(KafkaClients::prepare);
        assertDoesNotThrow(ParquetFlowWriter::prepare);
    }
}
