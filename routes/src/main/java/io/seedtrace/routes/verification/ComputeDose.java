package io.seedtrace.routes.verification;

import io.seedtrace.dicom.rt.StructureSetContours;
import io.seedtrace.dosimetry.I125Decay;
import io.seedtrace.dosimetry.Point3;
import io.seedtrace.dosimetry.Seed;
import io.seedtrace.dosimetry.SeedModel;
import io.seedtrace.dosimetry.dvh.Contour;
import io.seedtrace.dosimetry.dvh.DoseFinding;
import io.seedtrace.dosimetry.dvh.DoseMetric;
import io.seedtrace.dosimetry.dvh.DvhPlot;
import io.seedtrace.dosimetry.dvh.ImplantDosimetry;
import io.seedtrace.dosimetry.dvh.Structure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the count balance: when the patient has an RT Structure Set in the CT's frame and the cartridge gives
 * the seeds' activity, the dose of the detected seeds (AAPM TG-43, dose to infinity) on the
 * structures, its metrics, and an alarm for an underdose or an organ over its limit. The
 * computation runs within its budget, as the detection does; without structures, without the
 * activity, past the budget or on structures it cannot use, the report says that the dose was not
 * computed and why, and the verification goes on. A patient without an RT Structure Set with
 * outlines in the CT's frame has no dose evaluation, and the report does not mention one.
 */
final class ComputeDose implements Processor {

  private static final Logger LOG = LoggerFactory.getLogger(ComputeDose.class);
  private static final Pattern MODEL_NUMBER = Pattern.compile("\\d{4}");

  private final ImplantRecords implants;
  private final DoseSettings settings;
  private final ImplantDosimetry dosimetry;
  private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "implant-dose");
    t.setDaemon(true);
    return t;
  });

  ComputeDose(ImplantRecords implants, DoseSettings settings) {
    this.implants = implants;
    this.settings = settings;
    this.dosimetry = new ImplantDosimetry(settings.dosimetry());
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    StudyVerification v = exchange.getMessage().getMandatoryBody(StudyVerification.class);
    long t0 = System.nanoTime();
    if (!settings.enabled()) {
      return;
    }
    Optional<StructureSetContours> structures = implants.structures(v.event().patientId(),
        v.volume().frameOfReferenceUid());
    if (structures.isEmpty()) {
      return; // no outlines to evaluate a dose on: nothing to say
    }
    Optional<SeedSource> source = implants.seedSource(v.implant());
    if (source.isEmpty() || v.detection().count() == 0) {
      v.dosed(Optional.empty(), List.of(), "Dose not computed: " + (source.isEmpty()
          ? "the cartridge gives no seed activity." : "no seeds were detected."));
      v.timed("dose", t0);
      return;
    }
    try {
      DoseOutcome outcome = withinBudget(v, structures.get(), source.get());
      List<Alarm> alarms = outcome.result().metrics().findings().stream()
          .map(f -> new Alarm(f.kind(), f.detail())).toList();
      v.dosed(Optional.of(outcome), alarms, summary(outcome));
    } catch (TimeoutException overrun) {
      LOG.warn("Verification {}: dose computation stopped at its budget of {}", v.verificationId(), settings.budget());
      v.dosed(Optional.empty(), List.of(), "Dose not computed: the computation ran past its budget of "
          + settings.budget().toSeconds() + " s.");
    } catch (IllegalArgumentException unusable) {
      LOG.warn("Verification {}: dose not computed: {}", v.verificationId(), unusable.getMessage());
      v.dosed(Optional.empty(), List.of(), "Dose not computed: " + unusable.getMessage() + ".");
    }
    v.timed("dose", t0);
  }

  private DoseOutcome withinBudget(StudyVerification v, StructureSetContours contours, SeedSource source)
      throws TimeoutException, InterruptedException {
    Future<DoseOutcome> running = workers.submit(() -> compute(v, contours, source));
    try {
      return running.get(settings.budget().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | InterruptedException stopped) {
      running.cancel(true);
      throw stopped;
    } catch (ExecutionException failed) {
      if (failed.getCause() instanceof IllegalArgumentException unusable) {
        throw unusable;
      }
      throw new IllegalStateException("dose computation failed", failed.getCause());
    }
  }

  private DoseOutcome compute(StudyVerification v, StructureSetContours contours, SeedSource source) {
    List<String> notes = new ArrayList<>();
    String modelName = modelFor(source.model(), notes);
    SeedModel model = SeedModel.load(modelName);
    Instant implantTime = source.implantTime().orElseGet(() -> {
      notes.add("implant time unknown: seed strength decayed to the CT time");
      return v.studyTime();
    });
    double sk = I125Decay.decayCorrected(I125Decay.airKermaStrengthFromApparentActivity(
        source.seedActivityMbq() / 37.0, settings.uPerMci()), source.calibration(), implantTime);
    List<Seed> seeds = new ArrayList<>();
    for (io.seedtrace.detection.Seed s : v.detection().seeds()) {
      Point3 centre = new Point3(s.centre()[0], s.centre()[1], s.centre()[2]);
      double[] a = s.axis();
      boolean known = a != null && a.length == 3 && Double.isFinite(a[0] + a[1] + a[2]) && Math.hypot(a[0],
          Math.hypot(a[1], a[2])) > 0.5;
      seeds.add(known ? new Seed(model, centre, new Point3(a[0], a[1], a[2]), sk) : Seed.withoutAxis(model, centre, sk));
    }
    ImplantDosimetry.Result result = dosimetry.evaluate(seeds, structures(contours));
    if (result.pointSourceSeeds() > 0) {
      notes.add(result.pointSourceSeeds() + " seed(s) without a known axis: 1-D point-source approximation");
    }
    result.dvhs().values().stream().filter(d -> d.clipped()).forEach(d -> notes.add(d.name()
        + " reaches beyond the dose grid (target + " + settings.dosimetry().marginMm()
        + " mm): its DVH covers the part inside"));
    byte[] png = DvhPlot.png(List.copyOf(result.dvhs().values()), settings.dosimetry().limits().prescriptionGy());
    return new DoseOutcome(result, contours, modelName, sk, implantTime, settings.dosimetry().limits().prescriptionGy(), png,
        notes);
  }

  /** The bundled seed data whose model number the cartridge's model names, else the default. */
  private String modelFor(String cartridgeModel, List<String> notes) {
    Matcher m = MODEL_NUMBER.matcher(cartridgeModel == null ? "" : cartridgeModel);
    while (m.find()) {
      for (String bundled : SeedModel.BUNDLED) {
        if (bundled.contains(m.group())) {
          return bundled;
        }
      }
    }
    notes.add("seed model '" + cartridgeModel + "' has no bundled TG-43 data: " + settings.defaultModel() + " used");
    return settings.defaultModel();
  }

  /** Each ROI as a structure; ROIs whose contours are not axial are left out (a note would be lost: logged). */
  static List<Structure> structures(StructureSetContours contours) {
    List<Structure> out = new ArrayList<>();
    for (StructureSetContours.Roi roi : contours.rois()) {
      try {
        out.add(new Structure(roi.name(), roi.contours().stream().map(Contour::ofPoints).toList()));
      } catch (IllegalArgumentException unusable) {
        LOG.warn("ROI {} ({}) left out of the dose: {}", roi.number(), roi.name(), unusable.getMessage());
      }
    }
    return out;
  }

  /** One sentence for the conclusion: the target's figures and the findings. */
  static String summary(DoseOutcome outcome) {
    StringBuilder s = new StringBuilder("Dose (TG-43, ").append(outcome.seedModel()).append("): ");
    List<String> parts = new ArrayList<>();
    for (DoseMetric m : outcome.result().metrics().metrics()) {
      switch (m.code()) {
        case "dose-d90" -> parts.add(String.format(Locale.ROOT, "%s D90 %.1f Gy", m.structure(), m.value()));
        case "dose-v100" -> parts.add(String.format(Locale.ROOT, "V100 %.1f %%", m.value()));
        default -> { }
      }
    }
    s.append(String.join(", ", parts));
    List<DoseFinding> findings = outcome.result().metrics().findings();
    s.append(findings.isEmpty() ? "; within the limits." : "; " + findings.size() + " dose alarm(s).");
    return s.toString();
  }
}
