package io.seedtrace.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QidoQueryTest {

  private static QidoQuery query(String... nameValue) {
    Map<String, String[]> params = new LinkedHashMap<>();
    for (int i = 0; i < nameValue.length; i += 2) {
      params.put(nameValue[i], new String[] {nameValue[i + 1]});
    }
    return QidoQuery.parse(params, 100);
  }

  @Test
  void studyDatesMatchADayOrARangeOpenAtEitherEnd() {
    assertThat(query("StudyDate", "20261201").matches(QidoQuery.STUDY_DATE, "20261201")).isTrue();
    assertThat(query("StudyDate", "20261201").matches(QidoQuery.STUDY_DATE, "20261202")).isFalse();
    assertThat(query("00080020", "20261101-20261130").matches(QidoQuery.STUDY_DATE, "20261130")).isTrue();
    assertThat(query("StudyDate", "20261101-20261130").matches(QidoQuery.STUDY_DATE, "20261201")).isFalse();
    assertThat(query("StudyDate", "-20261130").matches(QidoQuery.STUDY_DATE, "19990101")).isTrue();
    assertThat(query("StudyDate", "20261101-").matches(QidoQuery.STUDY_DATE, "")).as("no date held").isFalse();
  }

  @Test
  void patientIdsMatchExactlyOrByWildcardAndUidsByList() {
    assertThat(query("PatientID", "IP-2026-*").matches(QidoQuery.PATIENT_ID, "IP-2026-0042")).isTrue();
    assertThat(query("PatientID", "IP-2026-004?").matches(QidoQuery.PATIENT_ID, "IP-2026-0042")).isTrue();
    assertThat(query("PatientID", "IP-2026").matches(QidoQuery.PATIENT_ID, "IP-2026-0042")).isFalse();
    assertThat(query("PatientID", "IP.2026*").matches(QidoQuery.PATIENT_ID, "IPX2026")).as("dot is literal").isFalse();
    QidoQuery uids = query("StudyInstanceUID", "1.2.3,1.2.4");
    assertThat(uids.matches(QidoQuery.STUDY_UID, "1.2.4")).isTrue();
    assertThat(uids.matches(QidoQuery.STUDY_UID, "1.2.5")).isFalse();
    assertThat(query("Modality", "").matches(QidoQuery.MODALITY, "MR")).as("empty key matches all").isTrue();
    assertThat(query("Modality", "CT").matchesAny(QidoQuery.MODALITY, List.of("MR", "CT"))).isTrue();
  }

  @Test
  void limitIsCappedAndWhatIsNotSupportedIsRefusedWithTheReason() {
    assertThat(query("limit", "5000", "offset", "3")).satisfies(q -> {
      assertThat(q.limit()).isEqualTo(100);
      assertThat(q.offset()).isEqualTo(3);
    });
    assertThat(query("includefield", "all").keys()).isEmpty();
    assertThatThrownBy(() -> query("PatientName", "Doe*")).hasMessageContaining("unsupported query key 'PatientName'");
    assertThatThrownBy(() -> query("StudyDate", "2026-12-01")).hasMessageContaining("YYYYMMDD");
    assertThatThrownBy(() -> query("limit", "0")).hasMessageContaining("limit");
    assertThatThrownBy(() -> query("fuzzymatching", "true")).hasMessageContaining("fuzzymatching");
  }
}
