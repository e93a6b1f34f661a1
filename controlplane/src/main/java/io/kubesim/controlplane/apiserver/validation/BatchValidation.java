package io.kubesim.controlplane.apiserver.validation;

import static io.kubesim.controlplane.apiserver.validation.Util.bool;
import static io.kubesim.controlplane.apiserver.validation.Util.empty;
import static io.kubesim.controlplane.apiserver.validation.Util.str;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobTemplateSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** pkg/apis/batch/validation, with the selector generation the Job strategy performs while validating. */
final class BatchValidation {

  static final String LEGACY_JOB_NAME = "job-name";
  static final String JOB_NAME = "batch.kubernetes.io/job-name";
  static final String LEGACY_CONTROLLER_UID = "controller-uid";
  static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  private static final int MAX_PARALLELISM_FOR_INDEXED_JOB = 100000;

  private BatchValidation() {}

  // ---------------------------------------------------------------- Job

  /**
   * The Job strategy's Validate: unless spec.manualSelector is true, it first generates the
   * selector and the template labels from the Job's name and uid (the uid must already be set).
   */
  static Errs validateJob(Job job) {
    JobSpec spec = spec(job);
    if (!bool(spec.getManualSelector())) {
      generateSelector(job);
    }
    FieldPath meta = FieldPath.root("metadata");
    Errs errs = ObjectMetaValidation.validate(job.getMetadata(), true, ObjectMetaValidation.DNS_SUBDOMAIN, meta);
    generatedSelector(errs, job);
    errs.addAll(jobSpec(spec, FieldPath.root("spec")));
    if ("Indexed".equals(spec.getCompletionMode()) && spec.getCompletions() != null && spec.getCompletions() > 0) {
      String name = job.getMetadata() == null ? "" : str(job.getMetadata().getName());
      String maxHost = name + "-" + (spec.getCompletions() - 1);
      if (!NameValidation.isDns1123Label(maxHost).isEmpty()) {
        errs.invalid(meta.child("name"), name, "will not able to create pod with invalid DNS label: " + maxHost);
      }
    }
    return errs;
  }

  private static JobSpec spec(Job job) {
    if (job.getSpec() == null) {
      job.setSpec(new JobSpec());
    }
    return job.getSpec();
  }

  static void generateSelector(Job job) {
    JobSpec spec = spec(job);
    if (spec.getTemplate() == null) {
      spec.setTemplate(new PodTemplateSpec());
    }
    if (spec.getTemplate().getMetadata() == null) {
      spec.getTemplate().setMetadata(new ObjectMeta());
    }
    ObjectMeta tm = spec.getTemplate().getMetadata();
    Map<String, String> labels = tm.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getLabels());
    String name = job.getMetadata() == null ? "" : str(job.getMetadata().getName());
    String uid = job.getMetadata() == null ? "" : str(job.getMetadata().getUid());
    labels.putIfAbsent(LEGACY_JOB_NAME, name);
    labels.putIfAbsent(JOB_NAME, name);
    labels.putIfAbsent(LEGACY_CONTROLLER_UID, uid);
    labels.putIfAbsent(CONTROLLER_UID, uid);
    tm.setLabels(labels);
    if (spec.getSelector() == null) {
      spec.setSelector(new LabelSelector());
    }
    Map<String, String> match = spec.getSelector().getMatchLabels() == null ? new LinkedHashMap<>()
        : new LinkedHashMap<>(spec.getSelector().getMatchLabels());
    match.putIfAbsent(CONTROLLER_UID, uid);
    spec.getSelector().setMatchLabels(match);
  }

  private static void generatedSelector(Errs errs, Job job) {
    JobSpec spec = spec(job);
    if (bool(spec.getManualSelector()) || spec.getTemplate() == null || spec.getTemplate().getMetadata() == null
        || spec.getTemplate().getMetadata().getLabels() == null || spec.getSelector() == null) {
      return;
    }
    String name = job.getMetadata() == null ? "" : str(job.getMetadata().getName());
    String uid = job.getMetadata() == null ? "" : str(job.getMetadata().getUid());
    if (uid.isEmpty()) {
      errs.required(FieldPath.root("metadata", "uid"), "");
    }
    FieldPath tp = FieldPath.root("spec", "template", "metadata");
    Map<String, String> labels = spec.getTemplate().getMetadata().getLabels();
    hasLabel(errs, labels, tp, LEGACY_CONTROLLER_UID, uid);
    hasLabel(errs, labels, tp, LEGACY_JOB_NAME, name);
    hasLabel(errs, labels, tp, CONTROLLER_UID, uid);
    hasLabel(errs, labels, tp, JOB_NAME, name);
    if (!ObjectMetaValidation.selectorMatches(spec.getSelector(), Map.of(CONTROLLER_UID, uid, JOB_NAME, name))) {
      errs.invalid(FieldPath.root("spec", "selector"), GoValue.labelSelector(spec.getSelector()), "`selector` not auto-generated");
    }
  }

  private static void hasLabel(Errs errs, Map<String, String> labels, FieldPath p, String key, String expected) {
    if (!labels.containsKey(key)) {
      errs.required(p.child("labels").key(key), "must be '" + expected + "'");
    } else if (!Objects.equals(labels.get(key), expected)) {
      errs.invalid(p.child("labels").key(key), GoValue.stringMap(labels), "must be '" + expected + "'");
    }
  }

  private static Errs jobSpec(JobSpec spec, FieldPath p) {
    Errs errs = jobSpecCommon(spec, p);
    if (spec.getSelector() == null) {
      errs.required(p.child("selector"), "");
    } else {
      ObjectMetaValidation.validateLabelSelector(errs, spec.getSelector(), p.child("selector"));
    }
    if (spec.getSelector() != null) {
      Map<String, String> labels = templateLabels(spec.getTemplate());
      if (!ObjectMetaValidation.selectorMatches(spec.getSelector(), labels)) {
        errs.invalid(p.child("template", "metadata", "labels"), GoValue.stringMap(labels), "`selector` does not match template `labels`");
      }
    }
    return errs;
  }

  private static Map<String, String> templateLabels(PodTemplateSpec t) {
    return t == null || t.getMetadata() == null ? null : t.getMetadata().getLabels();
  }

  private static Errs jobSpecCommon(JobSpec spec, FieldPath p) {
    Errs errs = new Errs();
    if (spec.getParallelism() != null) {
      errs.nonNegative(spec.getParallelism(), p.child("parallelism"));
    }
    if (spec.getCompletions() != null) {
      errs.nonNegative(spec.getCompletions(), p.child("completions"));
    }
    if (spec.getActiveDeadlineSeconds() != null) {
      errs.nonNegative(spec.getActiveDeadlineSeconds(), p.child("activeDeadlineSeconds"));
    }
    if (spec.getBackoffLimit() != null) {
      errs.nonNegative(spec.getBackoffLimit(), p.child("backoffLimit"));
    }
    if (spec.getTtlSecondsAfterFinished() != null) {
      errs.nonNegative(spec.getTtlSecondsAfterFinished(), p.child("ttlSecondsAfterFinished"));
    }
    if (spec.getBackoffLimitPerIndex() != null) {
      errs.nonNegative(spec.getBackoffLimitPerIndex(), p.child("backoffLimitPerIndex"));
      if (!"Indexed".equals(spec.getCompletionMode())) {
        errs.forbidden(p.child("backoffLimitPerIndex"), "requires indexed completion mode");
      }
    }
    if (spec.getCompletionMode() != null) {
      String mode = spec.getCompletionMode();
      if (!mode.equals("NonIndexed") && !mode.equals("Indexed")) {
        errs.notSupported(p.child("completionMode"), mode, List.of("NonIndexed", "Indexed"));
      }
      if (mode.equals("Indexed")) {
        if (spec.getCompletions() == null) {
          errs.required(p.child("completions"), "when completion mode is Indexed");
        }
        if (spec.getParallelism() != null && spec.getParallelism() > MAX_PARALLELISM_FOR_INDEXED_JOB) {
          errs.invalid(p.child("parallelism"), spec.getParallelism(),
              "must be less than or equal to " + MAX_PARALLELISM_FOR_INDEXED_JOB + " when completion mode is Indexed");
        }
      }
    }
    if (spec.getPodReplacementPolicy() != null) {
      String prp = spec.getPodReplacementPolicy();
      if (spec.getPodFailurePolicy() != null) {
        if (!prp.equals("Failed")) {
          errs.notSupported(p.child("podReplacementPolicy"), prp, List.of("Failed"));
        }
      } else if (!prp.equals("TerminatingOrFailed") && !prp.equals("Failed")) {
        errs.notSupported(p.child("podReplacementPolicy"), prp, List.of("TerminatingOrFailed", "Failed"));
      }
    }
    PodTemplateSpec template = spec.getTemplate() == null ? new PodTemplateSpec() : spec.getTemplate();
    errs.addAll(PodValidation.validatePodTemplateSpec(template, p.child("template")));
    PodSpec ps = template.getSpec() == null ? new PodSpec() : template.getSpec();
    String rp = str(ps.getRestartPolicy());
    FieldPath rpp = p.child("template", "spec", "restartPolicy");
    if (rp.equals("Always") || rp.isEmpty()) {
      errs.required(rpp, "valid values: \"OnFailure\", \"Never\"");
    } else if (!rp.equals("OnFailure") && !rp.equals("Never")) {
      errs.notSupported(rpp, rp, List.of("OnFailure", "Never"));
    } else if (spec.getPodFailurePolicy() != null && !rp.equals("Never")) {
      errs.invalid(rpp, rp, "only \"Never\" is supported when podFailurePolicy is specified");
    }
    return errs;
  }

  static Errs validateJobUpdate(Job job, Job old) {
    Errs errs = validateJob(job);
    errs.addAll(ObjectMetaValidation.validateUpdate(job.getMetadata(), old.getMetadata(), FieldPath.root("metadata")));
    JobSpec ns = spec(job);
    JobSpec os = spec(old);
    FieldPath p = FieldPath.root("spec");
    errs.addAll(jobSpec(ns, p));
    if (!Objects.equals(ns.getCompletions(), os.getCompletions())) {
      boolean elastic = "Indexed".equals(ns.getCompletionMode()) && ns.getCompletions() != null
          && Objects.equals(ns.getCompletions(), ns.getParallelism()) && Objects.equals(os.getCompletions(), os.getParallelism());
      if (!elastic) {
        errs.invalid(p.child("completions"), ns.getCompletions() == null ? GoValue.raw("null") : ns.getCompletions(), "field is immutable");
      }
    }
    errs.immutable(Util.jsonEqual(ns.getSelector(), os.getSelector()), GoValue.labelSelector(ns.getSelector()), p.child("selector"));
    boolean neverStarted = old.getStatus() == null || old.getStatus().getStartTime() == null;
    boolean mutableScheduling = bool(os.getSuspend()) && neverStarted;
    if (!Util.jsonEqual(ns.getTemplate(), os.getTemplate())) {
      if (mutableScheduling) {
        PodTemplateSpec a = io.kubesim.shared.json.Json.convert(io.kubesim.shared.json.Json.tree(ns.getTemplate()), PodTemplateSpec.class);
        PodTemplateSpec b = io.kubesim.shared.json.Json.convert(io.kubesim.shared.json.Json.tree(os.getTemplate()), PodTemplateSpec.class);
        for (PodTemplateSpec t : List.of(a, b)) {
          if (t.getSpec() != null) {
            t.getSpec().setNodeSelector(null);
            t.getSpec().setAffinity(null);
            t.getSpec().setTolerations(null);
            t.getSpec().setSchedulingGates(null);
          }
          if (t.getMetadata() != null) {
            t.getMetadata().setLabels(null);
            t.getMetadata().setAnnotations(null);
          }
        }
        if (!Util.jsonEqual(a, b)) {
          errs.invalid(p.child("template"), GoValue.raw("core.PodTemplateSpec{...}"), "field is immutable");
        }
      } else {
        errs.invalid(p.child("template"), GoValue.raw("core.PodTemplateSpec{...}"), "field is immutable");
      }
    }
    immutableString(errs, ns.getCompletionMode(), os.getCompletionMode(), p.child("completionMode"));
    errs.immutable(Util.jsonEqual(ns.getPodFailurePolicy(), os.getPodFailurePolicy()), GoValue.raw("batch.PodFailurePolicy{...}"),
        p.child("podFailurePolicy"));
    errs.immutable(Objects.equals(ns.getBackoffLimitPerIndex(), os.getBackoffLimitPerIndex()),
        ns.getBackoffLimitPerIndex() == null ? GoValue.raw("null") : ns.getBackoffLimitPerIndex(), p.child("backoffLimitPerIndex"));
    immutableString(errs, ns.getManagedBy(), os.getManagedBy(), p.child("managedBy"));
    errs.immutable(Util.jsonEqual(ns.getSuccessPolicy(), os.getSuccessPolicy()), GoValue.raw("batch.SuccessPolicy{...}"),
        p.child("successPolicy"));
    immutableString(errs, ns.getPodReplacementPolicy(), os.getPodReplacementPolicy(), p.child("podReplacementPolicy"));
    return errs;
  }

  private static void immutableString(Errs errs, String n, String o, FieldPath p) {
    errs.immutable(Objects.equals(n, o), n == null ? GoValue.raw("null") : n, p);
  }

  // ---------------------------------------------------------------- CronJob

  static Errs validateCronJob(CronJob cj) {
    FieldPath meta = FieldPath.root("metadata");
    Errs errs = ObjectMetaValidation.validate(cj.getMetadata(), true, ObjectMetaValidation.DNS_SUBDOMAIN, meta);
    errs.addAll(cronJobSpec(cj.getSpec() == null ? new CronJobSpec() : cj.getSpec(), null, FieldPath.root("spec")));
    String name = cj.getMetadata() == null ? "" : str(cj.getMetadata().getName());
    if (name.length() > NameValidation.DNS1035_LABEL_MAX_LENGTH - 11) {
      errs.invalid(meta.child("name"), name, "must be no more than 52 characters");
    }
    return errs;
  }

  static Errs validateCronJobUpdate(CronJob cj, CronJob old) {
    Errs errs = ObjectMetaValidation.validateUpdate(cj.getMetadata(), old.getMetadata(), FieldPath.root("metadata"));
    errs.addAll(cronJobSpec(cj.getSpec() == null ? new CronJobSpec() : cj.getSpec(),
        old.getSpec() == null ? new CronJobSpec() : old.getSpec(), FieldPath.root("spec")));
    return errs;
  }

  private static Errs cronJobSpec(CronJobSpec spec, CronJobSpec old, FieldPath p) {
    Errs errs = new Errs();
    String schedule = str(spec.getSchedule());
    if (schedule.isEmpty()) {
      errs.required(p.child("schedule"), "");
    } else {
      boolean allowTz = old != null && str(old.getSchedule()).contains("TZ");
      String parseError = CronSchedule.parseError(schedule);
      if (parseError != null) {
        errs.invalid(p.child("schedule"), schedule, parseError);
      }
      if (allowTz && schedule.contains("TZ") && spec.getTimeZone() != null) {
        errs.invalid(p.child("schedule"), schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule");
      } else if (!allowTz && schedule.contains("TZ")) {
        errs.invalid(p.child("schedule"), schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
      }
    }
    if (spec.getStartingDeadlineSeconds() != null) {
      errs.nonNegative(spec.getStartingDeadlineSeconds(), p.child("startingDeadlineSeconds"));
    }
    if (old == null || !Objects.equals(old.getTimeZone(), spec.getTimeZone())) {
      timeZone(errs, spec.getTimeZone(), p.child("timeZone"));
    }
    String cp = str(spec.getConcurrencyPolicy());
    switch (cp) {
      case "Allow", "Forbid", "Replace" -> { }
      case "" -> errs.required(p.child("concurrencyPolicy"), "");
      default -> errs.notSupported(p.child("concurrencyPolicy"), cp, List.of("Allow", "Forbid", "Replace"));
    }
    JobTemplateSpec jt = spec.getJobTemplate() == null ? new JobTemplateSpec() : spec.getJobTemplate();
    JobSpec js = jt.getSpec() == null ? new JobSpec() : jt.getSpec();
    FieldPath jp = p.child("jobTemplate");
    errs.addAll(jobSpecCommon(js, jp.child("spec")));
    if (js.getSelector() != null) {
      errs.invalid(jp.child("spec", "selector"), GoValue.labelSelector(js.getSelector()), "`selector` will be auto-generated");
    }
    if (bool(js.getManualSelector())) {
      errs.notSupported(jp.child("spec", "manualSelector"), true, List.of("nil", "false"));
    }
    if (spec.getSuccessfulJobsHistoryLimit() != null) {
      errs.nonNegative(spec.getSuccessfulJobsHistoryLimit(), p.child("successfulJobsHistoryLimit"));
    }
    if (spec.getFailedJobsHistoryLimit() != null) {
      errs.nonNegative(spec.getFailedJobsHistoryLimit(), p.child("failedJobsHistoryLimit"));
    }
    return errs;
  }

  private static void timeZone(Errs errs, String tz, FieldPath p) {
    if (tz == null) {
      return;
    }
    if (tz.isEmpty()) {
      errs.invalid(p, tz, "timeZone must be nil or non-empty string");
      return;
    }
    for (String part : tz.split("/", -1)) {
      if (part.equals(".") || part.equals("..") || part.startsWith("-") || !part.matches("[A-Za-z\\.\\-_0-9+]{1,14}")) {
        errs.invalid(p, tz, "unknown time zone " + tz);
        return;
      }
    }
    if (tz.equalsIgnoreCase("Local")) {
      errs.invalid(p, tz, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones");
    }
    try {
      java.time.ZoneId.of(tz);
    } catch (RuntimeException e) {
      if (!empty(tz) && !tz.equalsIgnoreCase("Local")) {
        errs.invalid(p, tz, "unknown time zone " + tz);
      }
    }
  }
}
