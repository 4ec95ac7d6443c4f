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

    public LogCapture() {
        logger.addHandler(this);
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
    }
}
