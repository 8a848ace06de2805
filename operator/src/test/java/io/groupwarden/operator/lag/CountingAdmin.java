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
 *
 * <p>A call is under way until every group's answer in it is done. That is read from the answers'
 * own futures when the next call starts: a future is done before anyone waiting on it wakes,
 * whereas a callback on it (or on a future derived from it) may run after the waiter has already
 * started its next call, which would count one call too many.
 */
final class CountingAdmin extends ForwardingAdmin {
  final List<Integer> describeCalls = new CopyOnWriteArrayList<>();
  final List<Integer> offsetCalls = new CopyOnWriteArrayList<>();
  final AtomicInteger mostUnderWay = new AtomicInteger();
  private final List<Collection<? extends KafkaFuture<?>>> calls = new CopyOnWriteArrayList<>();

  CountingAdmin(String bootstrap) {
    super(Map.of("bootstrap.servers", bootstrap));
  }

  @Override
  public DescribeConsumerGroupsResult describeConsumerGroups(
      Collection<String> groupIds, DescribeConsumerGroupsOptions options) {
    describeCalls.add(groupIds.size());
    DescribeConsumerGroupsResult result = super.describeConsumerGroups(groupIds, options);
    track(result.describedGroups().values());
    return result;
  }

  @Override
  public ListConsumerGroupOffsetsResult listConsumerGroupOffsets(
      Map<String, ListConsumerGroupOffsetsSpec> specs, ListConsumerGroupOffsetsOptions options) {
    offsetCalls.add(specs.size());
    ListConsumerGroupOffsetsResult result = super.listConsumerGroupOffsets(specs, options);
    track(specs.keySet().stream().map(result::partitionsToOffsetAndMetadata).toList());
    return result;
  }

  /** Counts this call and the earlier ones with an answer not yet done as under way. */
  private void track(Collection<? extends KafkaFuture<?>> answers) {
    long earlier =
        calls.stream().filter(call -> !call.stream().allMatch(KafkaFuture::isDone)).count();
    mostUnderWay.accumulateAndGet((int) earlier + 1, Math::max);
    calls.add(List.copyOf(answers));
  }
}
