package io.gnnnids.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gnnnids.core.flow.Flow;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A baseline whose screen left out more than a fifth of it is reported to the operator; a cleaner one is not. */
class BaselineDoubtTest {

    private static Baseline.Screened screened(int flows, int leftOut) {
        List<Flow> all = Collections.nCopies(flows, null);
        return new Baseline.Screened(all, Collections.nCopies(leftOut, null), 0.5);
    }

    @Test
    void aFifthLeftOutIsStillTrusted() {
        assertEquals(0.2, screened(1000, 200).leftOutShare(), 1e-12);
        assertNull(screened(1000, 200).doubt("2026-11-02..2026-11-08"));
        assertNull(screened(0, 0).doubt("2026-11-02..2026-11-08"));
    }

    @Test
    void moreIsDoubtedWithWhatToDo() {
        String doubt = screened(1000, 201).doubt("2026-11-02..2026-11-08");
        assertTrue(doubt.startsWith("the screen left out 201 of the baseline's 1000 flows (20 %)"), doubt);
        assertTrue(doubt.contains("an attack was under way in 2026-11-02..2026-11-08"), doubt);
        assertTrue(doubt.endsWith("baseline_left_out.json, then train on a period you have checked"), doubt);
    }
}
