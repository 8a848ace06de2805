package io.groupwarden.coordinator.api;

import io.groupwarden.coordinator.net.ClientRequest;
import io.groupwarden.coordinator.net.sasl.UserCredentials;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialDeletion;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData.ScramCredentialUpsertion;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData;
import org.apache.kafka.common.message.AlterUserScramCredentialsResponseData.AlterUserScramCredentialsResult;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.CredentialInfo;
import org.apache.kafka.common.message.DescribeUserScramCredentialsResponseData.DescribeUserScramCredentialsResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterUserScramCredentialsRequest;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsRequest;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * DescribeUserScramCredentials and AlterUserScramCredentials (KIP-554), so that {@code
 * kafka-configs --entity-type users} and the Admin client manage the broker's SASL users. Only the
 * users named by {@code --super-users} may use them. The client sends a salted password, never the
 * password; changes are persisted (with an fsync) on {@code admin}, off the network threads, and
 * apply to the next authentication.
 */
public record ScramUserApis(UserCredentials users, Set<String> superUsers, Executor admin) {
  private boolean allowed(ClientRequest request) {
    return request.principal() != null && superUsers.contains(request.principal());
  }

  public CompletableFuture<AbstractResponse> describe(ClientRequest request) {
    DescribeUserScramCredentialsRequestData data =
        request.body(DescribeUserScramCredentialsRequest.class).data();
    DescribeUserScramCredentialsResponseData response =
        new DescribeUserScramCredentialsResponseData();
    if (!allowed(request)) {
      response
          .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
          .setErrorMessage("only --super-users may describe credentials");
      return CompletableFuture.completedFuture(new DescribeUserScramCredentialsResponse(response));
    }
    Map<String, Map<ScramMechanism, Integer>> all = users.describe();
    List<String> names =
        data.users() == null || data.users().isEmpty()
            ? List.copyOf(all.keySet())
            : data.users().stream().map(u -> u.name()).toList();
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      DescribeUserScramCredentialsResult result =
          new DescribeUserScramCredentialsResult().setUser(name);
      if (!seen.add(name)) {
        result.setErrorCode(Errors.DUPLICATE_RESOURCE.code()).setErrorMessage("named twice");
      } else if (!all.containsKey(name)) {
        result
            .setErrorCode(Errors.RESOURCE_NOT_FOUND.code())
            .setErrorMessage("attempt to describe a user credential that does not exist");
      } else {
        all.get(name)
            .forEach(
                (mechanism, iterations) ->
                    result
                        .credentialInfos()
                        .add(
                            new CredentialInfo()
                                .setMechanism(mechanism.type())
                                .setIterations(iterations)));
      }
      response.results().add(result);
    }
    return CompletableFuture.completedFuture(new DescribeUserScramCredentialsResponse(response));
  }

  public CompletableFuture<AbstractResponse> alter(ClientRequest request) {
    AlterUserScramCredentialsRequest body = request.body(AlterUserScramCredentialsRequest.class);
    AlterUserScramCredentialsResponseData response = new AlterUserScramCredentialsResponseData();
    Map<String, AlterUserScramCredentialsResult> results = new LinkedHashMap<>();
    List<ScramCredentialDeletion> deletions = body.data().deletions();
    List<ScramCredentialUpsertion> upsertions = body.data().upsertions();
    if (!allowed(request)) {
      deletions.forEach(d -> results.put(d.name(), denied(d.name())));
      upsertions.forEach(u -> results.put(u.name(), denied(u.name())));
      response.results().addAll(results.values());
      return CompletableFuture.completedFuture(new AlterUserScramCredentialsResponse(response));
    }
    return CompletableFuture.supplyAsync(
        () -> {
          Set<String> twice = new HashSet<>();
          Set<String> named = new HashSet<>();
          List<String> all = new java.util.ArrayList<>();
          deletions.forEach(d -> all.add(d.name()));
          upsertions.forEach(u -> all.add(u.name()));
          for (String name : all) {
            if (!named.add(name)) {
              twice.add(name);
            }
          }
          for (ScramCredentialDeletion deletion : deletions) {
            results.put(deletion.name(), apply(deletion.name(), twice, () -> delete(deletion)));
          }
          for (ScramCredentialUpsertion upsertion : upsertions) {
            results.put(upsertion.name(), apply(upsertion.name(), twice, () -> upsert(upsertion)));
          }
          response.results().addAll(results.values());
          return new AlterUserScramCredentialsResponse(response);
        },
        admin);
  }

  /** Why a change was refused. */
  private record Refusal(Errors error, String message) {}

  /** One change: null when it was made, else why not. */
  private interface Change {
    Refusal run() throws IOException;
  }

  private static AlterUserScramCredentialsResult apply(
      String user, Set<String> twice, Change change) {
    AlterUserScramCredentialsResult result = new AlterUserScramCredentialsResult().setUser(user);
    if (twice.contains(user)) {
      return result
          .setErrorCode(Errors.DUPLICATE_RESOURCE.code())
          .setErrorMessage("a user may be altered only once per request");
    }
    if (user == null || user.isEmpty()) {
      return result
          .setErrorCode(Errors.UNACCEPTABLE_CREDENTIAL.code())
          .setErrorMessage("the user name must not be empty");
    }
    try {
      Refusal refusal = change.run();
      if (refusal != null) {
        result.setErrorCode(refusal.error().code()).setErrorMessage(refusal.message());
      }
    } catch (IOException e) {
      result
          .setErrorCode(Errors.KAFKA_STORAGE_ERROR.code())
          .setErrorMessage("the credentials could not be stored");
    }
    return result;
  }

  private Refusal delete(ScramCredentialDeletion deletion) throws IOException {
    ScramMechanism mechanism = mechanism(deletion.mechanism());
    if (mechanism == null) {
      return new Refusal(Errors.UNSUPPORTED_SASL_MECHANISM, "unknown SCRAM mechanism");
    }
    if (!users.delete(deletion.name(), mechanism)) {
      return new Refusal(
          Errors.RESOURCE_NOT_FOUND, "attempt to delete a user credential that does not exist");
    }
    return null;
  }

  private Refusal upsert(ScramCredentialUpsertion upsertion) throws IOException {
    ScramMechanism mechanism = mechanism(upsertion.mechanism());
    if (mechanism == null) {
      return new Refusal(Errors.UNSUPPORTED_SASL_MECHANISM, "unknown SCRAM mechanism");
    }
    int iterations = upsertion.iterations();
    if (iterations < mechanism.minIterations() || iterations > mechanism.maxIterations()) {
      return new Refusal(
          Errors.UNACCEPTABLE_CREDENTIAL,
          "iterations must be between "
              + mechanism.minIterations()
              + " and "
              + mechanism.maxIterations()
              + " for "
              + mechanism.mechanismName());
    }
    try {
      ScramCredential credential =
          new ScramFormatter(mechanism)
              .generateCredential(upsertion.salt(), upsertion.saltedPassword(), iterations);
      users.upsert(upsertion.name(), mechanism, credential);
    } catch (NoSuchAlgorithmException e) {
      return new Refusal(Errors.UNSUPPORTED_SASL_MECHANISM, mechanism.mechanismName());
    }
    return null;
  }

  private static ScramMechanism mechanism(byte type) {
    for (ScramMechanism mechanism : ScramMechanism.values()) {
      if (mechanism.type() == type) {
        return mechanism;
      }
    }
    return null;
  }

  private static AlterUserScramCredentialsResult denied(String user) {
    return new AlterUserScramCredentialsResult()
        .setUser(user)
        .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
        .setErrorMessage("only --super-users may alter credentials");
  }
}
