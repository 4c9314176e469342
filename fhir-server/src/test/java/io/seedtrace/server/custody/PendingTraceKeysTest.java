package io.seedtrace.server.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.core.sealing.TraceKey;
import java.security.SecureRandom;
import java.util.List;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class PendingTraceKeysTest {

  private JdbcDataSource dataSource;
  private CustodyTables tables;
  private SecretKey master;

  @BeforeEach
  void freshDatabase() throws Exception {
    dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:pending-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    tables = new CustodyTables(dataSource);
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256);
    master = generator.generateKey();
  }

  @Test
  void aHeldKeyIsHandedOutOnceAndIsNotInTheDatabaseInClear() {
    PendingTraceKeys pending = new PendingTraceKeys(tables, master);
    TraceKey key = TraceKey.generate(new SecureRandom());
    pending.hold("Device/7", 2, key);

    List<String> stored = new JdbcTemplate(dataSource).queryForList(
        "SELECT iv || ciphertext FROM st_pending_trace_key", String.class);
    assertThat(stored).singleElement().asString().doesNotContain(key.toString());

    assertThat(pending.collect("Device/7")).hasValueSatisfying(c -> {
      assertThat(c.key()).isEqualTo(key);
      assertThat(c.version()).isEqualTo(2);
    });
    assertThat(pending.collect("Device/7")).isEmpty();
  }

  @Test
  void aKeyMovedToAnotherDeviceDoesNotDecrypt() {
    new PendingTraceKeys(tables, master).hold("Device/7", 2, TraceKey.generate(new SecureRandom()));
    new JdbcTemplate(dataSource).update("UPDATE st_pending_trace_key SET device_id = 'Device/8'");
    assertThatThrownBy(() -> new PendingTraceKeys(tables, master).collect("Device/8"))
        .isInstanceOf(IllegalStateException.class);
  }
}
