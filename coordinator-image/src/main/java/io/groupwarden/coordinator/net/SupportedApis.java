package io.groupwarden.coordinator.net;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.FinalizedFeatureKeyCollection;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKey;
import org.apache.kafka.common.message.ApiVersionsResponseData.SupportedFeatureKeyCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;

/**
 * The APIs and versions this broker implements, which is exactly what ApiVersions advertises, and
 * the features it finalizes. Versions that address topics by id only (Produce 13, OffsetCommit 10,
 * OffsetFetch 10, TxnOffsetCommit 6) are left out so that clients fall back to what is implemented.
 *
 * <p>The {@code transaction.version} feature tells clients which transaction protocol to speak:
 * kafka-clients 4.x use KIP-890's version 2 (an epoch per transaction, partitions added by the
 * Produce itself, EndTxn v5 answering the next epoch) only when the broker finalizes level 2.
 */
public final class SupportedApis {
  private record Range(short min, short max) {}

  /** The feature that selects the transaction protocol, with the levels this broker knows. */
  public static final String TRANSACTION_VERSION = "transaction.version";

  public static final short MAX_TRANSACTION_VERSION = 2;

  private final Map<ApiKeys, Range> advertised = new EnumMap<>(ApiKeys.class);
  private final short transactionVersion;

  private SupportedApis(short transactionVersion) {
    this.transactionVersion = transactionVersion;
  }

  /** Every API, with transactions of protocol version 2 (Apache Kafka 4's default). */
  public static SupportedApis standard() {
    return standard(MAX_TRANSACTION_VERSION);
  }

  /** Every API, finalizing {@code transaction.version} at the given level (0 to 2). */
  public static SupportedApis standard(short transactionVersion) {
    SupportedApis apis = new SupportedApis(transactionVersion);
    // librdkafka needs Produce v0 to be advertised; versions below 3 are refused when used,
    // as Apache Kafka 4 does.
    apis.add(ApiKeys.PRODUCE, 0, 12);
    apis.add(ApiKeys.FETCH, 4, 17);
    apis.add(ApiKeys.LIST_OFFSETS, 1, 10);
    apis.add(ApiKeys.METADATA, 0, 13);
    apis.add(ApiKeys.OFFSET_COMMIT, 2, 9);
    apis.add(ApiKeys.OFFSET_FETCH, 1, 9);
    apis.add(ApiKeys.FIND_COORDINATOR, 0, 6);
    apis.add(ApiKeys.JOIN_GROUP, 0, 9);
    apis.add(ApiKeys.HEARTBEAT, 0, 4);
    apis.add(ApiKeys.LEAVE_GROUP, 0, 5);
    apis.add(ApiKeys.SYNC_GROUP, 0, 5);
    apis.add(ApiKeys.DESCRIBE_GROUPS, 0, 6);
    apis.add(ApiKeys.LIST_GROUPS, 0, 5);
    apis.add(ApiKeys.API_VERSIONS, 0, 4);
    apis.add(ApiKeys.CREATE_TOPICS, 2, 7);
    apis.add(ApiKeys.DELETE_TOPICS, 1, 6);
    apis.add(ApiKeys.INIT_PRODUCER_ID, 0, 5);
    apis.add(ApiKeys.DESCRIBE_CONFIGS, 1, 4);
    apis.add(ApiKeys.DELETE_GROUPS, 0, 2);
    apis.add(ApiKeys.OFFSET_DELETE, 0, 0);
    apis.add(ApiKeys.DESCRIBE_CLUSTER, 0, 1);
    // Authentication (KIP-152, KIP-368) and SCRAM credential management (KIP-554).
    // librdkafka enables SASL only when SaslHandshake v0 is advertised, as Kafka does; a v0
    // handshake (raw tokens without SaslAuthenticate, before Kafka 1.0) is refused when used.
    apis.add(ApiKeys.SASL_HANDSHAKE, 0, 1);
    apis.add(ApiKeys.SASL_AUTHENTICATE, 0, 2);
    apis.add(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, 0, 0);
    apis.add(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, 0, 0);
    // The consumer group protocol (KIP-848), at the versions Apache Kafka 4.4 serves.
    apis.add(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, 1);
    apis.add(ApiKeys.CONSUMER_GROUP_DESCRIBE, 0, 1);
    // Transactions, at the versions Apache Kafka 4.4 serves.
    apis.add(ApiKeys.ADD_PARTITIONS_TO_TXN, 0, 5);
    apis.add(ApiKeys.ADD_OFFSETS_TO_TXN, 0, 4);
    apis.add(ApiKeys.END_TXN, 0, 5);
    apis.add(ApiKeys.TXN_OFFSET_COMMIT, 0, 5);
    apis.add(ApiKeys.DESCRIBE_TRANSACTIONS, 0, 0);
    apis.add(ApiKeys.LIST_TRANSACTIONS, 0, 2);
    apis.add(ApiKeys.DESCRIBE_PRODUCERS, 0, 0);
    // What Kafka Streams asks of a broker beside transactions.
    apis.add(ApiKeys.DELETE_RECORDS, 0, 2);
    apis.add(ApiKeys.CREATE_PARTITIONS, 0, 3);
    return apis;
  }

  private void add(ApiKeys key, int min, int max) {
    advertised.put(key, new Range((short) min, (short) max));
  }

  /** True when requests of this API and version are served. */
  public boolean supports(ApiKeys key, short version) {
    Range range = advertised.get(key);
    return range != null
        && version >= Math.max(range.min(), key.oldestVersion())
        && version <= range.max();
  }

  public boolean advertises(ApiKeys key) {
    return advertised.containsKey(key);
  }

  public ApiVersionsResponse apiVersionsResponse(Errors error) {
    ApiVersionCollection versions = new ApiVersionCollection();
    advertised.forEach(
        (key, range) ->
            versions.add(
                new ApiVersion()
                    .setApiKey(key.id)
                    .setMinVersion(range.min())
                    .setMaxVersion(range.max())));
    SupportedFeatureKeyCollection supportedFeatures = new SupportedFeatureKeyCollection();
    supportedFeatures.add(
        new SupportedFeatureKey()
            .setName(TRANSACTION_VERSION)
            .setMinVersion((short) 0)
            .setMaxVersion(MAX_TRANSACTION_VERSION));
    FinalizedFeatureKeyCollection finalizedFeatures = new FinalizedFeatureKeyCollection();
    finalizedFeatures.add(
        new FinalizedFeatureKey()
            .setName(TRANSACTION_VERSION)
            .setMinVersionLevel(transactionVersion)
            .setMaxVersionLevel(transactionVersion));
    return new ApiVersionsResponse(
        new ApiVersionsResponseData()
            .setErrorCode(error.code())
            .setApiKeys(versions)
            .setSupportedFeatures(supportedFeatures)
            .setFinalizedFeatures(finalizedFeatures)
            // the features never change while the broker runs: one epoch
            .setFinalizedFeaturesEpoch(1));
  }
}
