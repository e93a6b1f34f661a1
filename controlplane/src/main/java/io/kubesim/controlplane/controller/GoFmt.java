package io.kubesim.controlplane.controller;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** How Go prints values the controllers log, so that log lines read as Kubernetes' do. */
public final class GoFmt {

  private GoFmt() {}

  /** time.Time.String() in UTC: "2026-01-01 00:00:45 +0000 UTC", fractional seconds only when present. */
  public static String time(Instant t) {
    ZonedDateTime z = t.atZone(ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(40);
    sb.append(String.format("%04d-%02d-%02d %02d:%02d:%02d", z.getYear(), z.getMonthValue(), z.getDayOfMonth(),
        z.getHour(), z.getMinute(), z.getSecond()));
    int nanos = z.getNano();
    if (nanos != 0) {
      sb.append('.').append(String.format("%09d", nanos).replaceAll("0+$", ""));
    }
    return sb.append(" +0000 UTC").toString();
  }
}
