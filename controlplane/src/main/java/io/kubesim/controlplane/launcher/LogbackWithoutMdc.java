package io.kubesim.controlplane.launcher;

import ch.qos.logback.classic.spi.LogbackServiceProvider;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Logback, with SLF4J's mapped diagnostic context switched off. kubesim's log lines carry what
 * they need in their text (klog's key/value pairs) and its logback pattern prints no MDC key, but
 * Akka Typed fills the MDC for an actor whenever its context logger is touched (on every timer
 * message) and clears it after every message of such an actor: a copy of a map per timer message
 * and two thread-local operations per message, for nothing. The launcher names this provider in
 * {@code slf4j.provider} before anything logs.
 */
public final class LogbackWithoutMdc implements SLF4JServiceProvider {

  private final LogbackServiceProvider logback = new LogbackServiceProvider();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  @Override
  public ILoggerFactory getLoggerFactory() {
    return logback.getLoggerFactory();
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return logback.getMarkerFactory();
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return logback.getRequestedApiVersion();
  }

  @Override
  public void initialize() {
    logback.initialize();
  }
}
