package io.kubesim.shared.log;

/** Where a simulation's component log lines go. */
public interface LogSink {

  /** Lines above this V level are not even formatted. */
  int verbosity();

  void accept(LogLine line);

  /** A sink that keeps nothing. */
  LogSink NONE = new LogSink() {
    @Override
    public int verbosity() {
      return -1;
    }

    @Override
    public void accept(LogLine line) {}
  };
}
