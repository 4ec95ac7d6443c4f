package io.coop.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what coop logs through System.Logger "io.coop" (backed by java.util.logging by default). */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("io.coop");
    public final List<LogRecord> records = new ArrayList<>();

    private final java.util.logging.Level previous;
    private final boolean changedLevel;

    public LogCapture() {
        this.previous = null;
        this.changedLevel = false;
        logger.addHandler(this);
    }

    /** Also lets records down to {@code level} through (DEBUG is FINE), until closed. */
    public LogCapture(java.util.logging.Level level) {
        this.previous = logger.getLevel();
        this.changedLevel = true;
        logger.setLevel(level);
        logger.addHandler(this);
    }

    /** The records at {@code level} or above. */
    public synchronized List<LogRecord> atLeast(java.util.logging.Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
    }

    @Override
    public synchronized void publish(LogRecord r) {
        records.add(r);
    }

    public synchronized List<LogRecord> snapshot() {
        return List.copyOf(records);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        if (changedLevel) logger.setLevel(previous);
    }
}
