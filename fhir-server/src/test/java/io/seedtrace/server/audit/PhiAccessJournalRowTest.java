package io.seedtrace.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A journal row holds a DICOMweb access whatever the DICOM Patient ID looks like: an empty ID, one
 * that starts with '/' or holds JSON Pointer syntax is a key like any other (such IDs come from
 * real archives; an access that could not be journaled would be lost to the audit).
 */
class PhiAccessJournalRowTest {

  @Test
  void patientIdsThatLookLikeJsonPointersSurviveTheRow() {
    TreeMap<String, List<String>> studies = new TreeMap<>();
    studies.put("", List.of("1.2.3"));
    studies.put("/", List.of("1.2.4"));
    studies.put("/MRN/7~1", List.of("1.2.5", "1.2.6"));
    studies.put("MRN-8", List.of("1.2.7"));
    PhiAccess access = new PhiAccess("search-type", false, Instant.parse("2026-12-08T03:00:00Z"), "nurse", "iss",
        "console", "127.0.0.1", "http://localhost/dicomweb", "studies?PatientID=x", List.of(), List.of(), studies);

    PhiAccess back = PhiAccessJournal.fromJson(PhiAccessJournal.toJson(access));

    assertThat(back.dicomStudies()).isEqualTo(access.dicomStudies());
    assertThat(back).isEqualTo(access);
  }
}
