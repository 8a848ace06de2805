package io.groupwarden.coordinator.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/**
 * A request frame gives back its reserved request memory when its last holder lets go: a produce
 * request, whose batches are written from the frame, holds it (and its reservation) until it is
 * answered, after the handler's own release.
 */
class RequestFrameTest {
  @Test
  void theReservationLastsUntilTheLastHolderReleasesTheFrame() {
    RequestMemory memory = new RequestMemory(1 << 20, EdgeMetrics.NONE);
    assertThat(memory.tryReserve(1000, null, () -> {})).isTrue();
    ByteBuf body = PooledByteBufAllocator.DEFAULT.directBuffer(1000).writeZero(1000);
    RequestFrameDecoder.Frame frame = new RequestFrameDecoder.Frame(body, 1000, memory);

    frame.retain(); // a produce request being answered
    frame.release(); // the handler is done with the frame
    assertThat(memory.used()).as("still held by the request").isEqualTo(1000);
    assertThat(body.refCnt()).isPositive();

    frame.release(); // answered
    assertThat(memory.used()).isZero();
    assertThat(body.refCnt()).isZero();
  }

  @Test
  void aFrameNobodyRetainsGivesItsReservationBackAtItsRelease() {
    RequestMemory memory = new RequestMemory(1 << 20, EdgeMetrics.NONE);
    assertThat(memory.tryReserve(500, null, () -> {})).isTrue();
    RequestFrameDecoder.Frame frame =
        new RequestFrameDecoder.Frame(
            PooledByteBufAllocator.DEFAULT.directBuffer(500).writeZero(500), 500, memory);
    frame.release();
    assertThat(memory.used()).isZero();
  }
}
