package dev.debimage.core.indexes;

import dev.debimage.core.BuildListener;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener that records the events of one step run on a worker thread, so that the thread that
 * started the steps can replay them in the order a sequential run would have logged them.
 */
final class DeferredListener implements BuildListener {

  private enum Level { INFO, WARN, DEBUG }

  private record Event(Level level, String message) {}

  private final List<Event> events = new ArrayList<>();

  @Override
  public synchronized void info(String message) {
    events.add(new Event(Level.INFO, message));
  }

  @Override
  public synchronized void warn(String message) {
    events.add(new Event(Level.WARN, message));
  }

  @Override
  public synchronized void debug(String message) {
    events.add(new Event(Level.DEBUG, message));
  }

  /** Sends the recorded events to {@code target} in the order they arrived, then clears them. */
  synchronized void replay(BuildListener target) {
    for (Event event : events) {
      switch (event.level()) {
        case INFO -> target.info(event.message());
        case WARN -> target.warn(event.message());
        case DEBUG -> target.debug(event.message());
      }
    }
    events.clear();
  }
}
