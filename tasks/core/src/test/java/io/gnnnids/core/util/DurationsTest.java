package io.gnnnids.core.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsUnitsABareNumberAsSecondsAndIsoText() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(60), Durations.parse("60"));
        assertEquals(Duration.ofMinutes(5), Durations.parse(" 5M "));
        assertEquals(Duration.ofHours(24), Durations.parse("24h"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertEquals(Duration.ofMinutes(1), Durations.parse("PT1M"));
    }

    @Test
    void writesTheLargestWholeUnitSoTheTextReadsBackTheSame() {
        for (String text : new String[] {"0ms", "300ms", "45s", "5m", "12h", "90d", "1500ms"}) {
            assertEquals(text, Durations.text(Durations.parse(text)));
        }
        assertEquals("1d", Durations.text(Duration.ofHours(24)));
    }

    @Test
    void somethingElseSaysWhatADurationLooksLike() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("a day"));
        assertEquals("'a day' is not a duration (examples: 500ms, 60s, 5m, 24h, 7d)", e.getMessage());
    }
}
