package io.seedtrace.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.Vr;
import org.junit.jupiter.api.Test;

/** PS3.4 C.2.2.2 attribute matching as the Query/Retrieve SCP applies it. */
class QueryRetrieveScpMatchingTest {

  static final DataSet HEADER = new DataSet()
      .putString(Tag.PatientName, Vr.PN, "Doe^Jane")
      .putString(Tag.PatientID, Vr.LO, "IP-2026-0042")
      .putString(Tag.StudyDate, Vr.DA, "20261124")
      .putString(Tag.StudyInstanceUID, Vr.UI, "1.2.3.4");

  static boolean matches(int tag, Vr vr, String value) {
    return QueryRetrieveScp.Matching.matches(new DataSet().putString(tag, vr, value), HEADER);
  }

  @Test
  void singleValueWildcardRangeListAndUniversal() {
    assertThat(matches(Tag.PatientID, Vr.LO, "IP-2026-0042")).isTrue();
    assertThat(matches(Tag.PatientID, Vr.LO, "ip-2026-0042")).as("LO is case-sensitive").isFalse();
    assertThat(matches(Tag.PatientName, Vr.PN, "DOE^JANE")).as("PN is not").isTrue();
    assertThat(matches(Tag.PatientName, Vr.PN, "doe*")).isTrue();
    assertThat(matches(Tag.PatientID, Vr.LO, "IP-2026-004?")).isTrue();
    assertThat(matches(Tag.PatientID, Vr.LO, "IP-2025*")).isFalse();
    assertThat(matches(Tag.StudyDate, Vr.DA, "20261101-20261130")).isTrue();
    assertThat(matches(Tag.StudyDate, Vr.DA, "20261125-")).isFalse();
    assertThat(matches(Tag.StudyDate, Vr.DA, "-20261124")).isTrue();
    assertThat(matches(Tag.StudyInstanceUID, Vr.UI, "9.9\\1.2.3.4")).isTrue();
    assertThat(matches(Tag.StudyInstanceUID, Vr.UI, "1.2.3")).isFalse();
    assertThat(matches(Tag.AccessionNumber, Vr.SH, "")).as("empty: universal").isTrue();
    assertThat(matches(Tag.AccessionNumber, Vr.SH, "A1")).as("absent in the header").isFalse();
  }
}
