package io.kubesim.controlplane.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kubesim.controlplane.scheduler.framework.CycleState;
import io.kubesim.controlplane.scheduler.framework.FitError;
import io.kubesim.controlplane.scheduler.framework.Handle;
import io.kubesim.controlplane.scheduler.framework.NodeInfo;
import io.kubesim.controlplane.scheduler.framework.NodeToStatus;
import io.kubesim.controlplane.scheduler.framework.PluginArgsException;
import io.kubesim.controlplane.scheduler.framework.PodInfo;
import io.kubesim.controlplane.scheduler.framework.PostFilterPlugin;
import io.kubesim.controlplane.scheduler.framework.Status;
import io.kubesim.shared.api.selector.LabelSelector;
import io.kubesim.shared.api.selector.SelectorParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Preemption (plugins/defaultpreemption and framework/preemption/preemption.go): when no node fits,
 * find nodes where evicting lower-priority pods would make room, pick the best, evict its victims
 * and nominate the pod to it.
 *
 * <p>Per node, all lower-priority pods are removed; if the pod then fits, victims are reprieved
 * one by one from the most important down, PodDisruptionBudget-violating ones first, keeping every
 * pod whose return still lets the pod fit. Among candidate nodes the pick is: fewest PDB
 * violations, lowest highest-victim priority, smallest sum of victim priorities, fewest victims,
 * latest start of the highest-priority victims, then the first.
 */
public final class DefaultPreemption implements PostFilterPlugin {

  public static final String NAME = "DefaultPreemption";
  public static final String REASON_NOT_HELPFUL = "Preemption is not helpful for scheduling";
  public static final String REASON_NO_VICTIMS = "No preemption victims found for incoming pod";
  public static final String REASON_PREEMPT_NEVER = "not eligible due to preemptionPolicy=Never.";
  public static final String REASON_TERMINATING_ON_NOMINATED =
      "not eligible due to a terminating pod on the nominated node.";
  /** The condition reason a scheduler-preempted pod gets (v1.PodReasonPreemptionByScheduler). */
  public static final String PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler";

  /** DefaultPreemptionArgs (defaults: 10 % of nodes, at least 100, are dry-run as candidates). */
  public record Args(int minCandidateNodesPercentage, int minCandidateNodesAbsolute) {
    public static final Args DEFAULT = new Args(10, 100);

    public static Args parse(JsonNode node) {
      io.kubesim.controlplane.scheduler.plugins.Args.known(node, "",
          Set.of("minCandidateNodesPercentage", "minCandidateNodesAbsolute"));
      int pct = io.kubesim.controlplane.scheduler.plugins.Args.integer(node, "minCandidateNodesPercentage", "", 10);
      int abs = io.kubesim.controlplane.scheduler.plugins.Args.integer(node, "minCandidateNodesAbsolute", "", 100);
      if (pct < 0 || pct > 100) {
        throw new PluginArgsException("minCandidateNodesPercentage", "Invalid value: " + pct
            + ": not in valid range [0, 100]");
      }
      if (abs < 0) {
        throw new PluginArgsException("minCandidateNodesAbsolute", "Invalid value: " + abs
            + ": not in valid range [0, inf)");
      }
      if (pct == 0 && abs == 0) {
        throw new PluginArgsException("minCandidateNodesPercentage",
            "Invalid value: 0: cannot be zero at the same time as minCandidateNodesAbsolute");
      }
      return new Args(pct, abs);
    }
  }

  /** A node where preemption would work, with its victims (most important first). */
  public record Candidate(String node, List<PodInfo> victims, int pdbViolations) {}

  private final Args args;
  private final Handle handle;

  public DefaultPreemption(Args args, Handle handle) {
    this.args = args == null ? Args.DEFAULT : args;
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result postFilter(CycleState state, PodInfo podInfo, NodeToStatus filtered) {
    Result r = preempt(state, podInfo, filtered);
    String msg = r.status().message();
    if (!msg.isEmpty()) {
      return new Result(Status.of(r.status().code(), "preemption: " + msg), r.nominatedNodeName());
    }
    return r;
  }

  private Result preempt(CycleState state, PodInfo podInfo, NodeToStatus filtered) {
    // 0) the latest version of the pod
    Pod latest = handle.cluster().pod(podInfo.namespace(), podInfo.name());
    PodInfo pod = latest == null || latest == podInfo.pod() ? podInfo : PodInfo.of(latest);
    // 1) eligibility
    String notEligible = notEligible(pod, filtered);
    if (notEligible != null) {
      return new Result(Status.unschedulable(notEligible), null);
    }
    // 2) candidates
    List<NodeInfo> allNodes = handle.cluster().nodes();
    List<NodeInfo> potential = filtered.nodesWithCode(allNodes, Status.Code.UNSCHEDULABLE);
    NodeToStatus statuses = new NodeToStatus();
    List<Candidate> candidates = List.of();
    if (!potential.isEmpty()) {
      int offset = handle.random().nextInt(potential.size());
      int num = numCandidates(potential.size());
      candidates = dryRun(state, pod, potential, handle.cluster().podDisruptionBudgets(), offset, num, statuses);
    }
    if (candidates.isEmpty()) {
      statuses.setAbsent(Status.unresolvable(REASON_NOT_HELPFUL));
      return new Result(Status.unschedulable(FitError.message(allNodes.size(), statuses, null, null)), "");
    }
    // 4) the best candidate
    Candidate best = selectCandidate(candidates);
    // 5) evict its victims and take lower-priority nominations off the node
    for (PodInfo victim : best.victims()) {
      if (victim.terminating()) {
        continue;
      }
      handle.actions().preempt(pod, victim, best.node());
    }
    for (PodInfo nominated : handle.cluster().nominatedPods(best.node())) {
      if (nominated.priority() < pod.priority()) {
        handle.actions().clearNomination(nominated);
      }
    }
    return new Result(Status.SUCCESS, best.node());
  }

  /** PodEligibleToPreemptOthers: null if eligible, else why not. */
  private String notEligible(PodInfo pod, NodeToStatus filtered) {
    if ("Never".equals(pod.pod().getSpec().getPreemptionPolicy())) {
      return REASON_PREEMPT_NEVER;
    }
    String nominated = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
    if (nominated != null && !nominated.isEmpty()) {
      // A nominated node that the filters now rule out for good is no reason to wait.
      if (filtered.get(nominated).code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
        return null;
      }
      NodeInfo node = handle.cluster().node(nominated);
      if (node != null) {
        for (PodInfo p : node.pods()) {
          if (p.priority() < pod.priority() && terminatingByPreemption(p.pod())) {
            return REASON_TERMINATING_ON_NOMINATED;
          }
        }
      }
    }
    return null;
  }

  static boolean terminatingByPreemption(Pod p) {
    if (p.getMetadata().getDeletionTimestamp() == null || p.getStatus() == null
        || p.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : p.getStatus().getConditions()) {
      if ("DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus())
          && PREEMPTION_BY_SCHEDULER.equals(c.getReason())) {
        return true;
      }
    }
    return false;
  }

  /** calculateNumCandidates: a share of the nodes, at least an absolute number, at most all. */
  int numCandidates(int numNodes) {
    int n = numNodes * args.minCandidateNodesPercentage() / 100;
    if (n < args.minCandidateNodesAbsolute()) {
      n = args.minCandidateNodesAbsolute();
    }
    return Math.min(n, numNodes);
  }

  private List<Candidate> dryRun(CycleState state, PodInfo pod, List<NodeInfo> potential,
      List<PodDisruptionBudget> pdbs, int offset, int num, NodeToStatus statuses) {
    List<Candidate> nonViolating = new ArrayList<>();
    List<Candidate> violating = new ArrayList<>();
    for (int i = 0; i < potential.size(); i++) {
      NodeInfo node = potential.get((offset + i) % potential.size()).copy();
      CycleState stateCopy = state.copy();
      List<PodInfo> victims = new ArrayList<>();
      int[] violations = {0};
      Status s = selectVictimsOnNode(stateCopy, pod, node, pdbs, victims, violations);
      if (s.success() && !victims.isEmpty()) {
        Candidate c = new Candidate(node.name(), victims, violations[0]);
        if (c.pdbViolations() == 0) {
          nonViolating.add(c);
        } else {
          violating.add(c);
        }
        if (!nonViolating.isEmpty() && nonViolating.size() + violating.size() >= num) {
          break;
        }
        continue;
      }
      if (s.success()) {
        s = Status.error("expected at least one victim pod on node \"" + node.name() + "\"");
      }
      statuses.set(node.name(), s);
    }
    List<Candidate> all = new ArrayList<>(nonViolating);
    all.addAll(violating);
    return all;
  }

  /** SelectVictimsOnNode; fills {@code victims} and {@code violations[0]}. */
  Status selectVictimsOnNode(CycleState state, PodInfo pod, NodeInfo node, List<PodDisruptionBudget> pdbs,
      List<PodInfo> victims, int[] violations) {
    List<PodInfo> potential = new ArrayList<>();
    for (PodInfo p : new ArrayList<>(node.pods())) {
      if (p.priority() < pod.priority()) {
        potential.add(p);
        node.removePod(p.key());
        Status s = handle.runPreFilterExtensionRemovePod(state, pod, p, node);
        if (!Status.isSuccess(s)) {
          return s;
        }
      }
    }
    if (potential.isEmpty()) {
      return Status.unresolvable(REASON_NO_VICTIMS);
    }
    Status fits = handle.runFilterWithNominatedPods(state, pod, node);
    if (!fits.success()) {
      return fits;
    }
    potential.sort(MORE_IMPORTANT);
    List<PodInfo> violatingPods = new ArrayList<>();
    List<PodInfo> nonViolatingPods = new ArrayList<>();
    filterPodsWithPdbViolation(potential, pdbs, violatingPods, nonViolatingPods);
    for (PodInfo p : violatingPods) {
      if (!reprieve(state, pod, node, p, victims)) {
        violations[0]++;
      }
    }
    for (PodInfo p : nonViolatingPods) {
      reprieve(state, pod, node, p, victims);
    }
    if (!violatingPods.isEmpty() && !nonViolatingPods.isEmpty()) {
      victims.sort(MORE_IMPORTANT);
    }
    return Status.SUCCESS;
  }

  /** Puts the pod back; if the preemptor no longer fits, takes it off again as a victim. */
  private boolean reprieve(CycleState state, PodInfo pod, NodeInfo node, PodInfo p, List<PodInfo> victims) {
    node.addPod(p);
    handle.runPreFilterExtensionAddPod(state, pod, p, node);
    boolean fits = handle.runFilterWithNominatedPods(state, pod, node).success();
    if (!fits) {
      node.removePod(p.key());
      handle.runPreFilterExtensionRemovePod(state, pod, p, node);
      victims.add(p);
    }
    return fits;
  }

  /** util.MoreImportantPod: higher priority first, then the one that started earlier. */
  static final Comparator<PodInfo> MORE_IMPORTANT = (a, b) -> {
    if (a.priority() != b.priority()) {
      return Integer.compare(b.priority(), a.priority());
    }
    Instant ta = a.startTime();
    Instant tb = b.startTime();
    // a pod that has not started counts as starting now: after every started one
    if (ta == null && tb == null) {
      return 0;
    }
    if (ta == null) {
      return 1;
    }
    if (tb == null) {
      return -1;
    }
    return ta.compareTo(tb);
  };

  /** filterPodsWithPDBViolation: which victims would take a budget below zero. */
  static void filterPodsWithPdbViolation(List<PodInfo> pods, List<PodDisruptionBudget> pdbs,
      List<PodInfo> violating, List<PodInfo> nonViolating) {
    int[] allowed = new int[pdbs.size()];
    LabelSelector[] selectors = new LabelSelector[pdbs.size()];
    for (int i = 0; i < pdbs.size(); i++) {
      PodDisruptionBudget pdb = pdbs.get(i);
      allowed[i] = pdb.getStatus() == null || pdb.getStatus().getDisruptionsAllowed() == null ? 0
          : pdb.getStatus().getDisruptionsAllowed();
      try {
        selectors[i] = pdb.getSpec() == null ? LabelSelector.nothing() : LabelSelector.from(pdb.getSpec().getSelector());
      } catch (SelectorParseException | IllegalArgumentException e) {
        selectors[i] = null;
      }
    }
    for (PodInfo p : pods) {
      boolean violated = false;
      if (!p.labels().isEmpty()) {
        for (int i = 0; i < pdbs.size(); i++) {
          PodDisruptionBudget pdb = pdbs.get(i);
          if (!p.namespace().equals(pdb.getMetadata().getNamespace()) || selectors[i] == null) {
            continue;
          }
          // a PDB with an empty selector matches nothing here
          if (selectors[i].isEmpty() || !selectors[i].matches(p.labels())) {
            continue;
          }
          Map<String, String> disrupted = pdb.getStatus() == null ? null : pdb.getStatus().getDisruptedPods();
          if (disrupted != null && disrupted.containsKey(p.name())) {
            continue;
          }
          allowed[i]--;
          if (allowed[i] < 0) {
            violated = true;
          }
        }
      }
      (violated ? violating : nonViolating).add(p);
    }
  }

  /** pickOneNodeForPreemption over the candidates. */
  static Candidate selectCandidate(List<Candidate> candidates) {
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    List<Candidate> remaining = new ArrayList<>(candidates);
    List<java.util.function.ToLongFunction<Candidate>> scoreFuncs = List.of(
        c -> -c.pdbViolations(),
        c -> -(long) c.victims().get(0).priority(),
        c -> {
          long sum = 0;
          for (PodInfo v : c.victims()) {
            // shifted by MaxInt32+1 so that negative priorities do not favour more victims
            sum += (long) v.priority() + (long) Integer.MAX_VALUE + 1;
          }
          return -sum;
        },
        c -> -(long) c.victims().size(),
        c -> {
          Instant earliest = earliestStartOfHighestPriority(c.victims());
          return earliest == null ? Long.MIN_VALUE : earliest.getEpochSecond() * 1_000_000_000L + earliest.getNano();
        });
    for (var f : scoreFuncs) {
      long max = Long.MIN_VALUE;
      List<Candidate> selected = new ArrayList<>();
      for (Candidate c : remaining) {
        long s = f.applyAsLong(c);
        if (s > max) {
          max = s;
          selected.clear();
        }
        if (s == max) {
          selected.add(c);
        }
      }
      if (selected.size() == 1) {
        return selected.get(0);
      }
      remaining = selected;
    }
    return remaining.get(0);
  }

  /** util.GetEarliestPodStartTime: the earliest start among the victims of the highest priority. */
  private static Instant earliestStartOfHighestPriority(List<PodInfo> victims) {
    if (victims.isEmpty()) {
      return null;
    }
    int highest = victims.get(0).priority();
    Instant earliest = null;
    for (PodInfo v : victims) {
      if (v.priority() != highest) {
        continue;
      }
      Instant t = v.startTime();
      if (t == null) {
        continue;
      }
      if (earliest == null || t.isBefore(earliest)) {
        earliest = t;
      }
    }
    return earliest;
  }
}
