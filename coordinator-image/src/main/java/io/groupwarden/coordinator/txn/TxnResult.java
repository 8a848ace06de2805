package io.groupwarden.coordinator.txn;

import java.util.List;

/**
 * What a handler of the transaction coordinator decided: the transactions to persist, the response
 * to send once they are durable, and, for a transaction that is ending, the markers to write then.
 *
 * @param markersFor a transaction in PrepareCommit or PrepareAbort whose partitions get markers
 *     (with its producer id and epoch) once it is durable; null when none
 * @param retryAfterCompletion the request runs again once that transaction is complete (a new
 *     producer took over a transactional id with a transaction open: it is aborted first)
 */
record TxnResult<T>(
    List<Transaction> records, T response, Transaction markersFor, boolean retryAfterCompletion) {

  static <T> TxnResult<T> of(T response) {
    return new TxnResult<>(List.of(), response, null, false);
  }

  static <T> TxnResult<T> of(Transaction record, T response) {
    return new TxnResult<>(List.of(record), response, null, false);
  }

  /** Persist the prepared transaction, answer, then write its markers. */
  static <T> TxnResult<T> ending(Transaction prepared, T response) {
    return new TxnResult<>(List.of(prepared), response, prepared, false);
  }

  /** Abort the transaction left open first, then run the request again. */
  static <T> TxnResult<T> abortFirst(Transaction fenced) {
    return new TxnResult<>(List.of(fenced), null, fenced, true);
  }
}
