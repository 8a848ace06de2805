package io.groupwarden.coordinator.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.groupwarden.coordinator.log.PartitionLog;
import io.groupwarden.coordinator.log.Topic;
import io.groupwarden.http.StreamedBody;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * The body of {@code GET /messages/{topic}}: a JSON array of the chosen records, read from the log
 * and written a chunk at a time, only when the connection can take more. A client that stops
 * reading holds one chunk and the list of positions, never the records themselves.
 */
final class MessageStream extends StreamedBody {
  /** A chunk ends once it holds this much (or one record, if that is larger). */
  static final int CHUNK_BYTES = 64 * 1024;

  private final Topic topic;
  private final List<NewestMessages.Pick> picks;
  private final ObjectWriter writer;
  private int next;
  private int written;
  private boolean opened;
  private boolean ended;

  MessageStream(Topic topic, List<NewestMessages.Pick> picks, ObjectMapper json) {
    this.topic = topic;
    this.picks = picks;
    this.writer = json.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
  }

  @Override
  public boolean isEndOfInput() {
    return ended;
  }

  @Override
  public void close() {
    ended = true;
  }

  @Override
  public ByteBuf readChunk(ByteBufAllocator allocator) {
    if (ended) {
      return null;
    }
    ByteBuf chunk = allocator.buffer(CHUNK_BYTES);
    try (ByteBufOutputStream out = new ByteBufOutputStream(chunk)) {
      if (!opened) {
        out.write('[');
        opened = true;
      }
      // Batches read for this chunk; dropped with it, so a stalled client holds none.
      Map<Integer, RecordBatch> batches = new HashMap<>();
      while (next < picks.size() && chunk.readableBytes() < CHUNK_BYTES) {
        NewestMessages.Pick pick = picks.get(next++);
        Record record = find(pick, batches);
        if (record == null) {
          continue; // removed by retention since it was chosen
        }
        if (written++ > 0) {
          out.write(',');
        }
        writer.writeValue((OutputStream) out, Message.of(topic.name(), pick.partition(), record));
      }
      if (next == picks.size()) {
        out.write(']');
        ended = true;
      }
    } catch (IOException e) {
      chunk.release();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      chunk.release();
      throw e;
    }
    return chunk;
  }

  private Record find(NewestMessages.Pick pick, Map<Integer, RecordBatch> batches) {
    RecordBatch batch = batches.get(pick.partition());
    if (batch == null || pick.offset() < batch.baseOffset() || pick.offset() > batch.lastOffset()) {
      PartitionLog log = topic.partition(pick.partition());
      if (log == null) {
        return null;
      }
      PartitionLog.ReadResult read = log.read(pick.offset(), 1, true);
      if (read.error() != Errors.NONE) {
        return null;
      }
      batch = null;
      for (RecordBatch candidate : read.records().batches()) {
        batch = candidate;
        break;
      }
      if (batch == null) {
        return null;
      }
      batches.put(pick.partition(), batch);
    }
    for (Record record : batch) {
      if (record.offset() == pick.offset()) {
        return record;
      }
    }
    return null;
  }

  @Override
  public long progress() {
    return next;
  }
}
