package io.kubesim.controlplane.controller.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {

  private static ZonedDateTime utc(String t) {
    return ZonedDateTime.parse(t).withZoneSameInstant(ZoneOffset.UTC);
  }

  @ParameterizedTest(name = "{0} after {1} is {2}")
  @CsvSource(delimiter = '|', value = {
      "0 * * * *                       | 2026-01-01T00:30:00Z     | 2026-01-01T01:00:00Z",
      "0 * * * *                       | 2026-01-01T01:00:00Z     | 2026-01-01T02:00:00Z",
      "*/15 * * * *                    | 2026-01-01T00:00:00Z     | 2026-01-01T00:15:00Z",
      "5-10/2 * * * *                  | 2026-01-01T00:06:00Z     | 2026-01-01T00:07:00Z",
      "@hourly                         | 2026-01-01T00:00:00Z     | 2026-01-01T01:00:00Z",
      "@daily                          | 2026-01-01T05:00:00Z     | 2026-01-02T00:00:00Z",
      "@midnight                       | 2026-01-01T05:00:00Z     | 2026-01-02T00:00:00Z",
      "@weekly                         | 2026-01-01T00:00:00Z     | 2026-01-04T00:00:00Z",
      "@monthly                        | 2026-01-15T00:00:00Z     | 2026-02-01T00:00:00Z",
      "@yearly                         | 2026-01-01T00:00:00Z     | 2027-01-01T00:00:00Z",
      "30 9 * * MON-FRI                | 2026-01-02T10:00:00Z     | 2026-01-05T09:30:00Z",
      "0 0 * JAN,jul *                 | 2026-01-31T12:00:00Z     | 2026-07-01T00:00:00Z",
      // Both day fields restricted: either one matches (the 1st, the 15th or any Friday).
      "0 0 1,15 * 5                    | 2026-01-01T01:00:00Z     | 2026-01-02T00:00:00Z",
      // One day field is *: both must match (Fridays only).
      "0 0 * * 5                       | 2026-01-01T01:00:00Z     | 2026-01-02T00:00:00Z",
      "0 0 29 2 *                      | 2026-01-01T00:00:00Z     | 2028-02-29T00:00:00Z",
      "TZ=America/New_York 0 9 * * *   | 2026-01-01T00:00:00Z     | 2026-01-01T14:00:00Z",
      "CRON_TZ=Asia/Tokyo 0 9 * * *    | 2026-01-01T00:00:00Z     | 2026-01-02T00:00:00Z",
      "@every 90m                      | 2026-01-01T00:00:00.500Z | 2026-01-01T01:30:00Z",
      "@every 100ms                    | 2026-01-01T00:00:00Z     | 2026-01-01T00:00:01Z",
  })
  void nextActivationFollowsRobfigCron(String spec, String after, String expected) throws Exception {
    assertThat(CronSchedule.parse(spec).next(utc(after))).isEqualTo(utc(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "59 23 31 2 *",
      "0 0 30 2 *",
  })
  void aScheduleThatNeverFiresHasNoNextActivation(String spec) throws Exception {
    assertThat(CronSchedule.parse(spec).next(utc("2026-01-01T00:00:00Z"))).isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "* * * *          | expected exactly 5 fields, found 4: [* * * *]",
      "* * * * * *      | expected exactly 5 fields, found 6: [* * * * * *]",
      "61 * * * *       | end of range (61) above maximum (59): 61",
      "* 5-2 * * *      | beginning of range (5) beyond end of range (2): 5-2",
      "* * 0 * *        | beginning of range (0) below minimum (1): 0",
      "a * * * *        | failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax",
      "*/0 * * * *      | step of range should be a positive number: */0",
      "1-2-3 * * * *    | too many hyphens: 1-2-3",
      "@fortnightly     | unrecognized descriptor: @fortnightly",
      "TZ=Mars/Olympus 0 * * * * | provided bad location Mars/Olympus: unknown time zone Mars/Olympus",
  })
  void anInvalidScheduleIsRejectedWithRobfigCronsMessage(String spec, String message) {
    assertThatThrownBy(() -> CronSchedule.parse(spec)).isInstanceOf(CronSchedule.ParseException.class)
        .hasMessage(message);
  }
}
