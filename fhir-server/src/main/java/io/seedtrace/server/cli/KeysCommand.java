package io.seedtrace.server.cli;

import io.seedtrace.server.security.KeyVault;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@code seedtrace keys rekey}: changes the cluster's key-encryption key. Every key in
 * {@code st_key_vault} is re-encrypted from the old key-encryption key to the new one in one
 * transaction, so the database never holds keys under two of them. The keys themselves do not
 * change: tokens stay valid and every sealing record opens with its trace key as before.
 *
 * <p>The two key-encryption keys and the database password come from the environment, never from
 * the command line (which other users of the machine can read in the process list).
 */
public final class KeysCommand {

  static final String OLD = "SEEDTRACE_OLD_KEY_ENCRYPTION_KEY";
  static final String NEW = "SEEDTRACE_NEW_KEY_ENCRYPTION_KEY";
  static final String PASSWORD = "SEEDTRACE_DATABASE_PASSWORD";

  static final String USAGE = String.join("\n",
      "usage: seedtrace keys rekey --database-url JDBC_URL [--database-user USER]",
      "",
      "Re-encrypts the keys the cluster shares (st_key_vault: token signing key, sealing master key,",
      "hospital chip-signing key) from the old key-encryption key to a new one, all or nothing.",
      "Stop every node first; start them again with seedtrace.security.key-encryption-key set to the new",
      "key. Running it again after it finished (or after a crash) changes nothing more.",
      "",
      "From the environment:",
      "  " + OLD + "   the key-encryption key the nodes use now (base64 of 32 bytes)",
      "  " + NEW + "   the new one (openssl rand -base64 32)",
      "  " + PASSWORD + "        the database user's password (empty when unset)",
      "",
      "Exit codes: 0 done, 2 usage, 3 refused (a key that opens with neither key, no database).");

  private KeysCommand() {}

  public static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (args.stream().anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
      out.println(USAGE);
      return 0;
    }
    if (args.isEmpty() || !args.get(0).equals("rekey")) {
      err.println(args.isEmpty() ? "missing command: rekey" : "unknown keys command: " + args.get(0));
      err.println(USAGE);
      return 2;
    }
    String url = null;
    String user = "";
    for (int i = 1; i < args.size(); i += 2) {
      String option = args.get(i);
      if (i + 1 >= args.size() || !(option.equals("--database-url") || option.equals("--database-user"))) {
        err.println(i + 1 >= args.size() && option.startsWith("--") ? "missing value for " + option
            : "unknown option: " + option);
        err.println(USAGE);
        return 2;
      }
      if (option.equals("--database-url")) {
        url = args.get(i + 1);
      } else {
        user = args.get(i + 1);
      }
    }
    if (url == null || blank(env.get(OLD)) || blank(env.get(NEW))) {
      err.println(url == null ? "missing --database-url" : "set " + OLD + " and " + NEW + " in the environment");
      err.println(USAGE);
      return 2;
    }
    return rekey(url, user, env, out, err);
  }

  private static int rekey(String url, String user, Map<String, String> env, PrintStream out, PrintStream err) {
    SecretKey old;
    SecretKey next;
    try {
      old = KeyVault.keyEncryptionKey(env.get(OLD));
      next = KeyVault.keyEncryptionKey(env.get(NEW));
    } catch (IllegalStateException bad) {
      err.println("a key-encryption key in the environment is not base64 of 32 bytes");
      return 2;
    }
    try {
      DriverManagerDataSource db = new DriverManagerDataSource(url, user, env.getOrDefault(PASSWORD, ""));
      KeyVault vault = new KeyVault(db, old);
      if (vault.names().isEmpty()) {
        err.println("nothing changed: st_key_vault at " + url + " holds no keys (is this the cluster's database?)");
        return 3;
      }
      int changed = vault.rekey(next);
      List<String> names = vault.names();
      out.printf("%d of %d keys re-encrypted under the new key-encryption key (%s)%n", changed, names.size(),
          String.join(", ", names));
      out.println("Start every node with seedtrace.security.key-encryption-key set to the new key.");
      return 0;
    } catch (RuntimeException refused) {
      err.println("nothing changed: " + rootMessage(refused));
      return 3;
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String rootMessage(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null && !(cause instanceof IllegalStateException)) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
