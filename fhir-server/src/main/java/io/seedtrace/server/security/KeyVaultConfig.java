package io.seedtrace.server.security;

import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Shared keys for several nodes: with {@code seedtrace.security.key-encryption-key} set, the
 * signing and sealing keys live encrypted in the database ({@link KeyVault}); without it (the
 * default, one node) each stays in its file under the data directory.
 */
@Configuration
public class KeyVaultConfig {

  @Bean
  @ConditionalOnExpression("!'${" + KeyVault.PROPERTY + ":}'.isBlank()")
  public KeyVault keyVault(DataSource dataSource, @Value("${" + KeyVault.PROPERTY + "}") String keyEncryptionKey) {
    return new KeyVault(dataSource, KeyVault.keyEncryptionKey(keyEncryptionKey));
  }
}
