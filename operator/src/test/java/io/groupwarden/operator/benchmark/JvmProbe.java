package io.groupwarden.operator.benchmark;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The platform MBeans of a child JVM, reached through the attach API (the JVM's local management
 * agent; no port is opened): its heap after a full collection, and for the Kafka broker its request
 * counters.
 */
final class JvmProbe implements AutoCloseable {
  private final JMXConnector connector;
  private final MBeanServerConnection mbeans;

  private JvmProbe(JMXConnector connector) throws IOException {
    this.connector = connector;
    this.mbeans = connector.getMBeanServerConnection();
  }

  static JvmProbe attach(long pid) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
    String address;
    try {
      address = vm.startLocalManagementAgent();
    } finally {
      vm.detach();
    }
    return new JvmProbe(JMXConnectorFactory.connect(new JMXServiceURL(address)));
  }

  /** Used heap in bytes after two full collections: what the JVM's live objects hold. */
  long heapAfterGc() throws IOException {
    MemoryMXBean memory =
        ManagementFactory.newPlatformMXBeanProxy(
            mbeans, ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    memory.gc();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /**
   * The requests a Kafka broker has answered so far, by API name (all versions together), from its
   * {@code kafka.network:type=RequestMetrics,name=RequestsPerSec} meters.
   */
  Map<String, Long> brokerRequests() throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    for (ObjectName name :
        mbeans.queryNames(
            new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
      String api = name.getKeyProperty("request");
      long count = ((Number) mbeans.getAttribute(name, "Count")).longValue();
      counts.merge(api, count, Long::sum);
    }
    return counts;
  }

  @Override
  public void close() throws IOException {
    connector.close();
  }
}
