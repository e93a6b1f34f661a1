package io.kubesim.shared.log;

/**
 * One log line of a simulated component.
 *
 * @param nanos virtual time of the line
 * @param severity 'I', 'W' or 'E', as klog
 * @param verbosity klog's V level (0 for warnings and errors)
 * @param text the whole line, as printed
 */
public record LogLine(long nanos, String component, char severity, int verbosity, String text) {}
