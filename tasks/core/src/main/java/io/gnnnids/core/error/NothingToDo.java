package io.gnnnids.core.error;

/** Thrown by a step that found no work (no new records, no unpredicted rows); ends the run with exit 99. */
public class NothingToDo extends RuntimeException {
    public NothingToDo(String message) {
        super(message);
    }
}
