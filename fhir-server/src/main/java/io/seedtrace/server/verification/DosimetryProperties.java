package io.seedtrace.server.verification;

import io.seedtrace.dosimetry.dvh.DoseLimits;
import io.seedtrace.dosimetry.dvh.ImplantDosimetry;
import io.seedtrace.dosimetry.dvh.StructureNames;
import io.seedtrace.routes.verification.DoseSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Post-implant dose settings ({@code seedtrace.dosimetry.*}); definitions and the sources of the
 * default limits in docs/dosimetry.md.
 *
 * @param enabled compute the dose when the patient has an RT Structure Set with outlines in the CT's frame
 * @param gridSpacingMm dose grid spacing, 1 or 0.5 mm
 * @param marginMm the grid reaches this far beyond the target
 * @param structureNames which structure is which, {@code ROLE=name,name;...} (roles TARGET, URETHRA, RECTUM, BLADDER)
 * @param prescriptionGy prescribed dose (to infinity)
 * @param underdoseFraction D90 below this fraction of the prescription raises an underdose alarm
 * @param urethraD10MaxFraction / urethraD30MaxFraction urethra limits, fractions of the prescription
 * @param rectumD2ccMaxGy / rectumV100MaxCc rectum limits
 * @param budget a dose computation running longer is stopped and the report says so
 * @param uPerMci the seed vendor's factor from apparent activity to air-kerma strength
 * @param defaultSeedModel bundled TG-43 data used when the cartridge's model number has none
 *     (oncoseed-6711, best-2301, nasi-med3631)
 * @param maxVoxels larger dose grids are refused (4 bytes each)
 */
@ConfigurationProperties("seedtrace.dosimetry")
public record DosimetryProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("1.0") double gridSpacingMm,
    @DefaultValue("10") double marginMm,
    @DefaultValue("TARGET=PROSTATE,CTV,PTV;URETHRA=URETHRA;RECTUM=RECTUM;BLADDER=BLADDER") String structureNames,
    @DefaultValue("145") double prescriptionGy,
    @DefaultValue("0.9") double underdoseFraction,
    @DefaultValue("1.5") double urethraD10MaxFraction,
    @DefaultValue("1.3") double urethraD30MaxFraction,
    @DefaultValue("145") double rectumD2ccMaxGy,
    @DefaultValue("1.0") double rectumV100MaxCc,
    @DefaultValue("30s") Duration budget,
    @DefaultValue("1.270") double uPerMci,
    @DefaultValue("oncoseed-6711") String defaultSeedModel,
    @DefaultValue("16000000") long maxVoxels) {

  /** The settings of the verification's dose step; throws IllegalArgumentException on a bad value, at start-up. */
  public DoseSettings toSettings() {
    return new DoseSettings(enabled, new ImplantDosimetry.Settings(gridSpacingMm, marginMm,
        StructureNames.parse(structureNames), new DoseLimits(prescriptionGy, underdoseFraction, urethraD10MaxFraction,
            urethraD30MaxFraction, rectumD2ccMaxGy, rectumV100MaxCc), maxVoxels,
        ImplantDosimetry.Settings.defaults().maxVertices()), budget, uPerMci, defaultSeedModel);
  }
}
