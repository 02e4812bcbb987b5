package io.gnnnids.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.gnnnids.core.flow.Flow;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A baseline's training windows count as much as the generated networks' together, and never less than once. */
class BaselineWeightTest {

    @Test
    void aSmallBaselineIsRepeatedToHalfOfTheTraining() {
        assertEquals(10, Baseline.repeats(1_000, 10_000));
        assertEquals(286, Baseline.repeats(700, 200_000));
        assertEquals(3, Baseline.repeats(4_000, 10_001));
    }

    @Test
    void aBaselineAsLargeAsTheRestCountsOnce() {
        assertEquals(1, Baseline.repeats(10_000, 10_000));
        assertEquals(1, Baseline.repeats(50_000, 10_000));
        assertEquals(1, Baseline.repeats(0, 10_000));
        assertEquals(1, Baseline.repeats(1_000, 0));
    }

    @Test
    void onlyTheTrainingWindowsAreRepeated() {
        List<Flow> a = Collections.nCopies(3, null);
        List<Flow> b = Collections.nCopies(2, null);
        List<Flow> v = Collections.nCopies(4, null);
        List<Flow> t = Collections.nCopies(5, null);
        TrainingRun.Split own = new TrainingRun.Split(List.of(a, b), List.of(v), List.of(t));
        TrainingRun.Split repeated = Baseline.repeated(own, 3);
        assertEquals(List.of(a, b, a, b, a, b), repeated.train());
        assertEquals(15, repeated.flows(repeated.train()));
        assertSame(own.validation(), repeated.validation());
        assertSame(own.test(), repeated.test());
        assertEquals(own.validationSources(), repeated.validationSources());
    }
}
