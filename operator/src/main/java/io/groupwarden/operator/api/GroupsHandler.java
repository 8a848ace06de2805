package io.groupwarden.operator.api;

import io.groupwarden.common.KubeDuration;
import io.groupwarden.http.HttpError;
import io.groupwarden.http.Request;
import io.groupwarden.http.Response;
import io.groupwarden.operator.api.PolicyClusters.Located;
import io.groupwarden.operator.api.view.AutoscaleView;
import io.groupwarden.operator.api.view.ChangeView;
import io.groupwarden.operator.api.view.ClusterGroupsView;
import io.groupwarden.operator.api.view.GroupDetailView;
import io.groupwarden.operator.api.view.GroupHealthView;
import io.groupwarden.operator.api.view.GroupHistoryView;
import io.groupwarden.operator.api.view.GroupHistoryView.PartitionSeriesView;
import io.groupwarden.operator.api.view.GroupHistoryView.TrendView;
import io.groupwarden.operator.api.view.GroupListView;
import io.groupwarden.operator.api.view.GroupSummaryView;
import io.groupwarden.operator.api.view.GroupView;
import io.groupwarden.operator.api.view.MemberView;
import io.groupwarden.operator.api.view.PartitionRefView;
import io.groupwarden.operator.api.view.SloTargetView;
import io.groupwarden.operator.governance.GroupEvaluation;
import io.groupwarden.operator.governance.GroupHealth;
import io.groupwarden.operator.governance.GroupSample.PartitionRef;
import io.groupwarden.operator.governance.GroupTimeline;
import io.groupwarden.operator.governance.PartitionTimeline;
import io.groupwarden.operator.insight.GroupTrend;
import io.groupwarden.operator.insight.InsightStore;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code /api/v1/consumers/groups}: the governed groups, one group with its members, its health,
 * and its history.
 */
record GroupsHandler(PolicyClusters clusters, InsightStore store, RecentEvents events) {
  /** Partition series in one history answer unless the request asks for more (at most 1000). */
  static final int DEFAULT_PARTITION_SERIES = 50;

  Response list(Request request) {
    return Response.json(
        new GroupListView(
            clusters.policies(request.query("cluster", null)).stream()
                .map(
                    p ->
                        new ClusterGroupsView(
                            p.cluster(),
                            p.evaluatedAt(),
                            p.groups().stream().map(GroupSummaryView::of).toList()))
                .toList()));
  }

  Response detail(Request request) {
    return Response.json(view(request.pathParam("group"), request.query("cluster", null)));
  }

  /** A group's detail: also what its live feed sends. */
  GroupDetailView view(String groupId, String cluster) {
    Located located = clusters.locate(groupId, cluster);
    String name = located.policy().cluster();
    int slash = name.indexOf('/');
    return new GroupDetailView(
        name,
        located.policy().evaluatedAt(),
        GroupHealth.of(located.group()).name(),
        GroupView.of(located.group()),
        located.policy().members(groupId).stream()
            .map(MemberView::of)
            .sorted(
                Comparator.comparing(MemberView::clientId, Comparator.nullsLast(String::compareTo)))
            .toList(),
        SloTargetView.of(located.policy().settings()),
        store.changes(name, groupId).stream().map(c -> ChangeView.of(name, groupId, c)).toList(),
        events.about(name.substring(0, slash), "ConsumerGroupPolicy", name.substring(slash + 1)),
        located.policy().origin().name(),
        AutoscaleView.of(located.policy().autoscale()));
  }

  Response health(Request request) {
    Located located = clusters.locate(request.pathParam("group"), request.query("cluster", null));
    GroupEvaluation g = located.group();
    return Response.json(GroupHealthView.of(located.policy().cluster(), g));
  }

  /**
   * {@code /groups/{group}/history?since=&step=&partitions=}: the lag and lag seconds of the group
   * and of its most lagging partitions over the retained window, and its evaluated numbers. {@code
   * since} is a duration back from now ({@code 10m}) or an RFC 3339 time; {@code step} a duration,
   * the newest sample of each step being kept.
   */
  Response history(Request request) {
    Located located = clusters.locate(request.pathParam("group"), request.query("cluster", null));
    Instant evaluatedAt = located.policy().evaluatedAt();
    Instant since = since(request.query("since", null), evaluatedAt);
    long stepMillis = step(request.query("step", null));
    int limit = request.queryInt("partitions", DEFAULT_PARTITION_SERIES, 0, 1000);
    String groupId = located.group().groupId();
    Series series =
        located
            .policy()
            .history()
            .read(groupId, timeline -> Series.of(timeline, since.toEpochMilli(), stepMillis, limit))
            .orElse(Series.EMPTY);
    GroupTrend.Point[] points =
        store
            .trend(located.policy().cluster(), groupId)
            .map(GroupTrend::points)
            .orElse(new GroupTrend.Point[0]);
    List<Long> times = new ArrayList<>();
    List<Double> compliance = new ArrayList<>();
    List<Double> gini = new ArrayList<>();
    List<Integer> score = new ArrayList<>();
    for (GroupTrend.Point p : points) {
      if (p.timeMillis() < since.toEpochMilli()) {
        continue;
      }
      times.add(p.timeMillis());
      compliance.add(known(p.sloCompliance()));
      gini.add(known(p.fairnessGini()));
      score.add(p.rebalanceScore());
    }
    return Response.json(
        new GroupHistoryView(
            located.policy().cluster(),
            groupId,
            since,
            stepMillis / 1000,
            series.times,
            series.totalLag,
            series.maxLag,
            series.maxLagSeconds,
            series.partitions,
            new TrendView(times, compliance, gini, score),
            SloTargetView.of(located.policy().settings())));
  }

  private static Instant since(String text, Instant evaluatedAt) {
    if (text == null || text.isBlank()) {
      return Instant.EPOCH;
    }
    try {
      return evaluatedAt.minus(KubeDuration.parse(text.strip()));
    } catch (IllegalArgumentException notADuration) {
      try {
        return Instant.parse(text.strip());
      } catch (DateTimeParseException e) {
        throw HttpError.badRequest(
            "since must be a duration such as 10m or an RFC 3339 time, not '" + text + "'");
      }
    }
  }

  private static long step(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    try {
      Duration step = KubeDuration.parse(text.strip());
      if (step.isNegative() || step.toDays() > 7) {
        throw new IllegalArgumentException("out of range");
      }
      return step.toMillis();
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest(
          "step must be a duration from 0s to 7d such as 30s, not '" + text + "'");
    }
  }

  private static Double known(double value) {
    return Double.isNaN(value) ? null : value;
  }

  /** The columns of a history answer, read from a timeline under its lock. */
  private static final class Series {
    static final Series EMPTY = new Series();

    final List<Long> times = new ArrayList<>();
    final List<Long> totalLag = new ArrayList<>();
    final List<Long> maxLag = new ArrayList<>();
    final List<Double> maxLagSeconds = new ArrayList<>();
    final List<PartitionSeriesView> partitions = new ArrayList<>();

    static Series of(GroupTimeline timeline, long sinceMillis, long stepMillis, int limit) {
      Series series = new Series();
      int count = timeline.latest().partitions().size();
      int longest = -1;
      for (int i = 0; i < count; i++) {
        if (longest < 0 || timeline.partition(i).size() > timeline.partition(longest).size()) {
          longest = i;
        }
      }
      if (longest < 0) {
        return series;
      }
      PartitionTimeline clock = timeline.partition(longest);
      // the ages shown, oldest first: after since, the newest of each step
      List<Integer> ages = new ArrayList<>();
      for (int age = clock.size() - 1; age >= 0; age--) {
        long time = clock.timeMillis(age);
        if (time < sinceMillis) {
          continue;
        }
        if (stepMillis > 0
            && age > 0
            && time / stepMillis == clock.timeMillis(age - 1) / stepMillis) {
          continue; // a newer sample of the same step follows
        }
        ages.add(age);
      }
      for (int age : ages) {
        series.times.add(clock.timeMillis(age));
        long total = 0;
        long max = 0;
        double maxSeconds = Double.NaN;
        for (int i = 0; i < count; i++) {
          PartitionTimeline p = timeline.partition(i);
          if (age < p.size()) {
            long lag = p.lag(age);
            total += lag;
            max = Math.max(max, lag);
            double seconds = p.lagSeconds(age);
            if (!Double.isNaN(seconds) && !(seconds <= maxSeconds)) {
              maxSeconds = seconds;
            }
          }
        }
        series.totalLag.add(total);
        series.maxLag.add(max);
        series.maxLagSeconds.add(known(maxSeconds));
      }
      List<Integer> shown = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        shown.add(i);
      }
      shown.sort(
          Comparator.comparingLong((Integer i) -> timeline.partition(i).lag(0))
              .reversed()
              .thenComparing(i -> timeline.latest().partitions().get(i).ref()));
      for (int i : shown.subList(0, Math.min(limit, shown.size()))) {
        PartitionTimeline p = timeline.partition(i);
        List<Long> lags = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (int age : ages) {
          lags.add(age < p.size() ? p.lag(age) : null);
          seconds.add(age < p.size() ? known(p.lagSeconds(age)) : null);
        }
        PartitionRef ref = timeline.latest().partitions().get(i).ref();
        series.partitions.add(new PartitionSeriesView(PartitionRefView.of(ref), lags, seconds));
      }
      return series;
    }
  }
}
