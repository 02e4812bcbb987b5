package io.gnnnids.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DjlTest {

    @Test
    void turnsOfflineModeOnWhenNothingSaysOtherwise() {
        String before = System.getProperty("ai.djl.offline");
        try {
            System.clearProperty("ai.djl.offline");
            Djl.init();
            assertEquals("true", System.getProperty("ai.djl.offline"));
        } finally {
            if (before != null) System.setProperty("ai.djl.offline", before);
        }
    }

    @Test
    void keepsAnExplicitOfflineSetting() {
        String before = System.getProperty("ai.djl.offline");
        try {
            System.setProperty("ai.djl.offline", "false");
            Djl.init();
            assertEquals("false", System.getProperty("ai.djl.offline"));
        } finally {
            if (before != null) System.setProperty("ai.djl.offline", before);
            else System.clearProperty("ai.djl.offline");
        }
    }
}
