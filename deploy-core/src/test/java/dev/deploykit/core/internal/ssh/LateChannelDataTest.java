package dev.deploykit.core.internal.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.connection.ConnectionException;
import org.junit.jupiter.api.Test;

class LateChannelDataTest {

  @Test
  void aPacketAfterThisSidesCloseIsDroppedAndEveryOtherFailureStillEndsTheTransport() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();
    LateChannelData.droppedWhenLate(() -> {
      ran.set(true);
      throw new ConnectionException("Getting data on EOF'ed stream");
    });
    assertThat(ran).isTrue();

    assertThatThrownBy(() -> LateChannelData.droppedWhenLate(() -> {
      throw new ConnectionException(DisconnectReason.PROTOCOL_ERROR, "Bad item length: 99999");
    })).isInstanceOf(ConnectionException.class).hasMessageContaining("Bad item length");
  }
}
