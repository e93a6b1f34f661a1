package io.kubesim.shared.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The log of a simulation: the lines of every component, in the order they were written (which,
 * on the one driver thread, is virtual-time order). Keeps the most recent {@code capacity} lines
 * and counts what it dropped, so a long run cannot exhaust memory. Listeners (a live
 * {@code kubesim logs -f}) see every line as it is written.
 */
public final class LogBuffer implements LogSink {
  private final int verbosity;
  private final int capacity;
  private final ArrayDeque<LogLine> lines = new ArrayDeque<>();
  private final List<Consumer<LogLine>> listeners = new CopyOnWriteArrayList<>();
  private long dropped;
  private long total;

  public LogBuffer(int verbosity, int capacity) {
    this.verbosity = verbosity;
    this.capacity = capacity;
  }

  @Override
  public int verbosity() {
    return verbosity;
  }

  @Override
  public synchronized void accept(LogLine line) {
    total++;
    lines.addLast(line);
    if (lines.size() > capacity) {
      lines.removeFirst();
      dropped++;
    }
    for (Consumer<LogLine> l : listeners) {
      l.accept(line);
    }
  }

  public synchronized List<LogLine> lines() {
    return new ArrayList<>(lines);
  }

  /** Lines written so far, including those dropped for capacity. */
  public synchronized long total() {
    return total;
  }

  public synchronized long dropped() {
    return dropped;
  }

  /**
   * The lines kept so far and, atomically with them, {@code listener} for every later line: a
   * follower neither misses nor repeats a line written while it subscribes.
   */
  public synchronized List<LogLine> linesThenListen(Consumer<LogLine> listener) {
    listeners.add(listener);
    return new ArrayList<>(lines);
  }

  public void addListener(Consumer<LogLine> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<LogLine> listener) {
    listeners.remove(listener);
  }
}
