package io.seedtrace.server.cli;

import io.seedtrace.core.chip.ChipPayloadCodec;
import io.seedtrace.core.chip.ChipPayloadException;
import io.seedtrace.core.chip.InitialBlock;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code seedtrace chip keygen|encode|decode}: for manufacturers, tests and the demo.
 * <ul>
 *   <li>{@code chip keygen --out NAME} writes NAME.key (PKCS#8 PEM, P-256) and NAME.pub (X.509 PEM);</li>
 *   <li>{@code chip encode --key NAME.key --kid ID --serial S --manufacturer M --product P --model X
 *       --seeds N --total-mbq A --seed-mbq B --calibrated 2026-11-20T08:00:00Z --lot L --expiry 2027-01-31
 *       [--udi U] --out chip.bin} writes a signed initial block;</li>
 *   <li>{@code chip decode --pub NAME.pub --kid ID chip.bin} verifies and prints it.</li>
 * </ul>
 * Exit codes: 0 done, 2 usage, 3 refused or unreadable input.
 */
public final class ChipCommand {

  private ChipCommand() {}

  private static final Map<String, String> USAGE = Map.of(
      "keygen", "usage: seedtrace chip keygen --out NAME\n"
          + "Writes NAME.key (PKCS#8 PEM, P-256; keep it secret) and NAME.pub (X.509 PEM).",
      "encode", "usage: seedtrace chip encode --key NAME.key --kid ID --serial S --manufacturer M --product P"
          + " --model X --seeds N --total-mbq A --seed-mbq B --calibrated 2026-11-20T08:00:00Z --lot L"
          + " --expiry 2027-01-31 [--udi U] --out chip.bin\n"
          + "Writes a cartridge chip's signed initial block.",
      "decode", "usage: seedtrace chip decode --pub NAME.pub --kid ID chip.bin\n"
          + "Verifies a chip's signature and prints its contents.");
  private static final Map<String, Set<String>> OPTIONS = Map.of(
      "keygen", Set.of("out"),
      "encode", Set.of("key", "kid", "serial", "manufacturer", "product", "model", "seeds", "total-mbq", "seed-mbq",
          "calibrated", "lot", "expiry", "udi", "out"),
      "decode", Set.of("pub", "kid"));
  private static final String SUMMARY = "usage: seedtrace chip keygen|encode|decode [options]   (--help after a"
      + " command for its options)\nExit codes: 0 done, 2 usage, 3 refused or unreadable input.";

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.isEmpty() || isHelp(args.get(0))) {
      (args.isEmpty() ? err : out).println(SUMMARY);
      return args.isEmpty() ? 2 : 0;
    }
    String command = args.get(0);
    if (!USAGE.containsKey(command)) {
      err.println("unknown chip command: " + command);
      err.println(SUMMARY);
      return 2;
    }
    if (args.stream().skip(1).anyMatch(ChipCommand::isHelp)) {
      out.println(USAGE.get(command));
      return 0;
    }
    try {
      Map<String, String> opts = new HashMap<>();
      String positional = null;
      for (int i = 1; i < args.size(); i++) {
        String a = args.get(i);
        if (a.startsWith("--")) {
          if (!OPTIONS.get(command).contains(a.substring(2))) {
            err.println("unknown option " + a + " for chip " + command);
            err.println(USAGE.get(command));
            return 2;
          }
          if (i + 1 >= args.size()) {
            err.println("missing value for " + a);
            return 2;
          }
          opts.put(a.substring(2), args.get(++i));
        } else {
          positional = a;
        }
      }
      return switch (command) {
        case "keygen" -> keygen(opts, out);
        case "encode" -> encode(opts, out);
        default -> decode(opts, positional, out, err);
      };
    } catch (MissingOption e) {
      err.println("missing option --" + e.getMessage());
      err.println(USAGE.get(command));
      return 2;
    } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
      err.println("invalid value: " + e.getMessage());
      return 3;
    } catch (IOException | GeneralSecurityException e) {
      err.println("cannot read or write: " + e.getMessage());
      return 3;
    }
  }

  static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h");
  }

  private static final class MissingOption extends RuntimeException {
    MissingOption(String name) {
      super(name);
    }
  }

  private static String need(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null) {
      throw new MissingOption(name);
    }
    return v;
  }

  private static int keygen(Map<String, String> opts, PrintStream out) throws IOException, GeneralSecurityException {
    String name = need(opts, "out");
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    Files.writeString(Path.of(name + ".key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.writeString(Path.of(name + ".pub"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    out.println("wrote " + name + ".key (keep secret) and " + name + ".pub (register on the manufacturer's Organization)");
    return 0;
  }

  private static int encode(Map<String, String> opts, PrintStream out) throws IOException, GeneralSecurityException {
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(unpem(need(opts, "key"))));
    InitialBlock block = new InitialBlock(need(opts, "serial"), Optional.ofNullable(opts.get("udi")),
        need(opts, "manufacturer"), need(opts, "product"), need(opts, "model"), Integer.parseInt(need(opts, "seeds")),
        kbq(need(opts, "total-mbq")), Instant.parse(need(opts, "calibrated")), kbq(need(opts, "seed-mbq")),
        need(opts, "lot"), LocalDate.parse(need(opts, "expiry")));
    byte[] chip = ChipPayloadCodec.encode(block, need(opts, "kid").getBytes(StandardCharsets.UTF_8), key);
    Files.write(Path.of(need(opts, "out")), chip);
    out.println("wrote " + chip.length + " bytes (chip capacity " + ChipPayloadCodec.CHIP_CAPACITY + ")");
    out.println("base64: " + Base64.getEncoder().encodeToString(chip));
    return 0;
  }

  private static int decode(Map<String, String> opts, String file, PrintStream out, PrintStream err)
      throws IOException, GeneralSecurityException {
    if (file == null) {
      err.println("usage: seedtrace chip decode --pub NAME.pub --kid ID chip.bin");
      return 2;
    }
    PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(unpem(need(opts, "pub"))));
    byte[] kid = need(opts, "kid").getBytes(StandardCharsets.UTF_8);
    try {
      InitialBlock b = ChipPayloadCodec.decode(Files.readAllBytes(Path.of(file)),
          k -> Arrays.equals(k, kid) ? Optional.of(key) : Optional.empty()).initial();
      out.println("serial:        " + b.cartridgeSerial() + b.udi().map(u -> " (UDI " + u + ")").orElse(""));
      out.println("product:       " + b.manufacturer() + " / " + b.productName() + " / " + b.model());
      out.println("seeds:         " + b.seedCount() + " x " + b.seedActivityKbq() / 1000.0 + " MBq");
      out.println("total:         " + b.totalActivityMbq() + " MBq at " + b.calibrationTime());
      out.println("lot / expiry:  " + b.lot() + " / " + b.expiry());
      return 0;
    } catch (ChipPayloadException refused) {
      err.println("refused: " + refused.getMessage());
      return 3;
    }
  }

  private static long kbq(String mbq) {
    return new BigDecimal(mbq).movePointRight(3).longValueExact();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static byte[] unpem(String path) throws IOException {
    String text = Files.readString(Path.of(path));
    return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", "").trim());
  }
}
