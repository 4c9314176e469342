package io.seedtrace.routes.verification;

import io.seedtrace.dosimetry.I125Decay;
import io.seedtrace.dosimetry.dvh.ImplantDosimetry;
import java.time.Duration;
import java.util.Objects;

/**
 * How the verification computes the dose of an implant (docs/dosimetry.md).
 *
 * @param enabled compute the dose when the study has an RT Structure Set and the cartridge its seeds' activity
 * @param dosimetry grid, names, prescription and limits
 * @param budget a dose computation running longer is stopped; the report then says the dose was not computed
 * @param uPerMci the vendor's factor from apparent activity to air-kerma strength, U/mCi
 * @param defaultModel the bundled seed data used when the cartridge's model number is not one of them
 */
public record DoseSettings(boolean enabled, ImplantDosimetry.Settings dosimetry, Duration budget, double uPerMci,
    String defaultModel) {

  public DoseSettings {
    Objects.requireNonNull(dosimetry);
    if (budget.isNegative() || budget.isZero() || !(uPerMci > 0)) {
      throw new IllegalArgumentException("the dose budget and the U/mCi factor must be positive, got " + budget + ", "
          + uPerMci);
    }
  }

  /** On, default dosimetry settings, 30 s, 1.270 U/mCi, model 6711. */
  public static DoseSettings defaults() {
    return new DoseSettings(true, ImplantDosimetry.Settings.defaults(), Duration.ofSeconds(30),
        I125Decay.U_PER_MCI_TG43, "oncoseed-6711");
  }
}
