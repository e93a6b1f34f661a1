package io.kubesim.shared.log;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.kubesim.shared.time.VirtualRuntime;

/**
 * Logback's {@code %vtime}: the virtual time of the simulation the logging thread drives, in
 * klog's "MMdd HH:mm:ss.uuuuuu" form, or "-" on threads outside any simulation (the HTTP front,
 * the command line), whose lines are not part of a run's deterministic output.
 */
public final class VirtualTimeConverter extends ClassicConverter {
  @Override
  public String convert(ILoggingEvent event) {
    VirtualRuntime rt = VirtualRuntime.current();
    return rt == null ? "-" : Klog.timestamp(rt.now());
  }
}
