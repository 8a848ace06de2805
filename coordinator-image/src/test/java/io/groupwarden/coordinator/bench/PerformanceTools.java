package io.groupwarden.coordinator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's ProducerPerformance and ConsumerPerformance as the benchmarks run them: their arguments
 * and what their summaries say.
 */
final class PerformanceTools {
  static final String PRODUCER = "org.apache.kafka.tools.ProducerPerformance";
  static final String CONSUMER = "org.apache.kafka.tools.ConsumerPerformance";

  private PerformanceTools() {}

  /**
   * ProducerPerformance's arguments: {@code records} records of {@code recordSize} bytes to {@code
   * topic} as fast as it can, followed by {@code more} (where the broker is, and the producer's
   * settings).
   */
  static List<String> producerArgs(String topic, long records, int recordSize, List<String> more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--topic",
                topic,
                "--num-records",
                String.valueOf(records),
                "--record-size",
                String.valueOf(recordSize),
                "--throughput",
                "-1"));
    args.addAll(more);
    return args;
  }

  /**
   * ConsumerPerformance's arguments: {@code records} records of {@code topic} from the broker at
   * {@code bootstrap}, giving up after a minute, followed by {@code more}.
   */
  static List<String> consumerArgs(
      String bootstrap, String topic, long records, List<String> more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap-server",
                bootstrap,
                "--topic",
                topic,
                "--num-records",
                String.valueOf(records),
                "--timeout",
                "60000"));
    args.addAll(more);
    return args;
  }

  /** What the first group of {@code pattern} captures in ProducerPerformance's summary line. */
  static double producerFigure(String output, String pattern) {
    Matcher summary = Pattern.compile(pattern).matcher(last(output, "records sent"));
    if (!summary.find()) {
      throw new IllegalStateException("no ProducerPerformance summary:\n" + output);
    }
    return Double.parseDouble(summary.group(1));
  }

  /**
   * ConsumerPerformance's summary: start.time, end.time, data.consumed.in.MB, MB.sec,
   * data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec,
   * fetch.nMsg.sec; refused when it consumed fewer than {@code records}.
   */
  static String[] consumerSummary(String output, long records) {
    String[] fields = last(output, ",").split(",");
    long consumed = Long.parseLong(fields[4].trim());
    if (consumed < records) {
      throw new IllegalStateException("consumed only " + consumed + ":\n" + output);
    }
    return fields;
  }

  /** The last line of {@code output} that contains {@code containing}. */
  static String last(String output, String containing) {
    List<String> lines = output.lines().filter(l -> l.contains(containing)).toList();
    if (lines.isEmpty()) {
      throw new IllegalStateException("no line with '" + containing + "' in:\n" + output);
    }
    return lines.get(lines.size() - 1);
  }
}
