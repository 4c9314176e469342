package io.seedtrace.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manufacturer creates a key, encodes a cartridge chip, and a reader decodes it. */
class ChipCommandTest {

  @TempDir
  Path dir;

  private static CliRun run(String... args) {
    return CliRun.of(ChipCommand::run, args);
  }

  private List<String> encodeArgs(String chip) {
    return new ArrayList<>(List.of("encode", "--key", dir.resolve("mfr.key").toString(), "--kid", "MFR-001",
        "--serial", "CART-2026-000123", "--manufacturer", "Example Isotope Works", "--product", "I-125 seed",
        "--model", "6711", "--seeds", "60", "--total-mbq", "888", "--seed-mbq", "14.8",
        "--calibrated", "2026-11-20T08:00:00Z", "--lot", "LOT-2611-07", "--expiry", "2027-01-31", "--out", chip));
  }

  @Test
  void keygenEncodeAndDecodeACartridgeChip() throws Exception {
    assertThat(run("keygen", "--out", dir.resolve("mfr").toString()).exit()).isZero();
    String chip = dir.resolve("chip.bin").toString();
    CliRun encoded = run(encodeArgs(chip).toArray(String[]::new));
    assertThat(encoded.exit()).as(encoded.err()).isZero();
    assertThat(Files.size(Path.of(chip))).isLessThanOrEqualTo(888);

    CliRun decoded = run("decode", "--pub", dir.resolve("mfr.pub").toString(), "--kid", "MFR-001", chip);
    assertThat(decoded.exit()).as(decoded.err()).isZero();
    assertThat(decoded.out()).contains("CART-2026-000123").contains("60 x 14.8 MBq").contains("888.0 MBq");
  }

  @Test
  void aForeignKeyOrABrokenChipIsRefusedWithTheReason() throws Exception {
    run("keygen", "--out", dir.resolve("mfr").toString());
    run("keygen", "--out", dir.resolve("other").toString());
    String chip = dir.resolve("chip.bin").toString();
    run(encodeArgs(chip).toArray(String[]::new));

    CliRun foreign = run("decode", "--pub", dir.resolve("other.pub").toString(), "--kid", "MFR-001", chip);
    assertThat(foreign.exit()).isEqualTo(3);
    assertThat(foreign.err()).contains("BAD_SIGNATURE");

    byte[] bytes = Files.readAllBytes(Path.of(chip));
    Files.write(Path.of(chip), java.util.Arrays.copyOf(bytes, bytes.length - 10));
    CliRun truncated = run("decode", "--pub", dir.resolve("mfr.pub").toString(), "--kid", "MFR-001", chip);
    assertThat(truncated.exit()).isEqualTo(3);
    assertThat(truncated.err()).contains("refused: TRUNCATED");

    List<String> tooMany = encodeArgs(dir.resolve("bad.bin").toString());
    tooMany.set(tooMany.indexOf("60"), "5000");
    CliRun invalid = run(tooMany.toArray(String[]::new));
    assertThat(invalid.exit()).isEqualTo(3);
    assertThat(invalid.err()).contains("seedCount must be 1-500");

    assertThat(run("encode", "--kid", "x").exit()).isEqualTo(2);
  }
}
