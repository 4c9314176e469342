package io.seedtrace.routes.verification;

import io.seedtrace.detection.DetectionResult;
import io.seedtrace.detection.plan.PositionVerification;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import io.seedtrace.dicom.volume.ImageVolume;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One study on its way through the verification pipeline: the message body from step to step.
 * Each step fills in what it found; what a step needs and a step before it did not set is a bug,
 * reported as {@link IllegalStateException}. Lives on one node for one attempt: what must survive
 * a crash is in the queue (the study) and in the record system (the results).
 */
public final class StudyVerification {

  private final QueuedStudy study;
  private final Map<String, Long> timings = new LinkedHashMap<>();
  private final List<Alarm> alarms = new ArrayList<>();
  private final long startedNanos = System.nanoTime();
  private Instant studyTime;
  private Implant implant;
  private ImageVolume volume;
  private DetectionResult detection;
  private Optional<Plan> plan = Optional.empty();
  private Optional<PositionVerification> positions = Optional.empty();
  private CountModel counts;
  private String conclusion;
  private StoredResults stored;
  private Optional<DoseOutcome> dose = Optional.empty();

  public StudyVerification(QueuedStudy study) {
    this.study = study;
  }

  public String verificationId() {
    return study.verificationId();
  }

  public SeriesStableEvent event() {
    return study.event();
  }

  public QueuedStudy study() {
    return study;
  }

  /** StudyDate and StudyTime of the series, else the time it arrived. */
  public Instant studyTime() {
    return required(studyTime, "study time");
  }

  public Implant implant() {
    return required(implant, "implant");
  }

  public ImageVolume volume() {
    return required(volume, "volume");
  }

  public DetectionResult detection() {
    return required(detection, "detection");
  }

  /** The centres of the detected seeds, in the CT's patient coordinates (mm). */
  public List<double[]> detectedCentres() {
    return detection().seeds().stream().map(io.seedtrace.detection.Seed::centre).toList();
  }

  public Optional<Plan> plan() {
    return plan;
  }

  public Optional<PositionVerification> positions() {
    return positions;
  }

  public CountModel counts() {
    return required(counts, "counts");
  }

  public List<Alarm> alarms() {
    return List.copyOf(alarms);
  }

  public String conclusion() {
    return required(conclusion, "conclusion");
  }

  /** The implant's dose, when it was computed. */
  public Optional<DoseOutcome> dose() {
    return dose;
  }

  public StoredResults stored() {
    return required(stored, "stored results");
  }

  /** Milliseconds per step, in the order the steps ran. */
  public Map<String, Long> timings() {
    return Map.copyOf(timings);
  }

  /** The timings as one line with the total so far, e.g. {@code {match=12, assembly=300, ..., total=2100}}. */
  public String timingLine() {
    Map<String, Long> all = new LinkedHashMap<>(timings);
    all.put("total", (System.nanoTime() - startedNanos) / 1_000_000);
    return all.toString();
  }

  void timed(String step, long startNanos) {
    timings.put(step, (System.nanoTime() - startNanos) / 1_000_000);
  }

  void matched(Instant studyTime, Implant implant) {
    this.studyTime = studyTime;
    this.implant = implant;
  }

  void studyTime(Instant studyTime) {
    this.studyTime = studyTime;
  }

  void assembled(ImageVolume volume) {
    this.volume = volume;
  }

  void detected(DetectionResult detection) {
    this.detection = detection;
  }

  void compared(Optional<Plan> plan, Optional<PositionVerification> positions) {
    this.plan = plan;
    this.positions = positions;
  }

  void balanced(CountModel counts, List<Alarm> alarms, String conclusion) {
    this.counts = counts;
    this.alarms.clear();
    this.alarms.addAll(alarms);
    this.conclusion = conclusion;
  }

  /** The dose step's outcome: the dose if computed, its alarms, and a sentence added to the conclusion. */
  void dosed(Optional<DoseOutcome> dose, List<Alarm> alarms, String sentence) {
    this.dose = dose;
    this.alarms.addAll(alarms);
    this.conclusion = required(conclusion, "conclusion") + " " + sentence;
  }

  /** The fusion step's sentence about the seeds and the MR-contoured target, added to the conclusion. */
  void fused(String sentence) {
    this.conclusion = required(conclusion, "conclusion") + " " + sentence;
  }

  void stored(StoredResults stored) {
    this.stored = stored;
  }

  private <T> T required(T value, String what) {
    if (value == null) {
      throw new IllegalStateException("verification " + verificationId() + " has no " + what + " yet");
    }
    return value;
  }
}
