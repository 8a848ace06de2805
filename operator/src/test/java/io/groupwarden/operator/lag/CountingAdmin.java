package io.groupwarden.operator.lag;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsResult;
import org.apache.kafka.clients.admin.ForwardingAdmin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.common.KafkaFuture;

/**
 * A real admin client that records how many groups each group call carried and how many group calls
 * were under way at once.
 */
final class CountingAdmin extends ForwardingAdmin {
  final List<Integer> describeCalls = new CopyOnWriteArrayList<>();
  final List<Integer> offsetCalls = new CopyOnWriteArrayList<>();
  final AtomicInteger mostUnderWay = new AtomicInteger();
  private final AtomicInteger underWay = new AtomicInteger();

  CountingAdmin(String bootstrap) {
    super(Map.of("bootstrap.servers", bootstrap));
  }

  @Override
  public DescribeConsumerGroupsResult describeConsumerGroups(
      Collection<String> groupIds, DescribeConsumerGroupsOptions options) {
    describeCalls.add(groupIds.size());
    DescribeConsumerGroupsResult result = super.describeConsumerGroups(groupIds, options);
    track(KafkaFuture.allOf(result.describedGroups().values().toArray(KafkaFuture[]::new)));
    return result;
  }

  @Override
  public ListConsumerGroupOffsetsResult listConsumerGroupOffsets(
      Map<String, ListConsumerGroupOffsetsSpec> specs, ListConsumerGroupOffsetsOptions options) {
    offsetCalls.add(specs.size());
    ListConsumerGroupOffsetsResult result = super.listConsumerGroupOffsets(specs, options);
    track(result.all());
    return result;
  }

  private void track(KafkaFuture<?> done) {
    int now = underWay.incrementAndGet();
    mostUnderWay.accumulateAndGet(now, Math::max);
    done.whenComplete((value, failure) -> underWay.decrementAndGet());
  }
}
