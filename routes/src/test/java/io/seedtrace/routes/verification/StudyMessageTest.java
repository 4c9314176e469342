package io.seedtrace.routes.verification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.seedtrace.dicom.spool.SeriesCompleteness;
import io.seedtrace.dicom.spool.SeriesStableEvent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudyMessageTest {

  @Test
  void aStudyComesBackFromTheQueueAsItWentInWhateverItsFieldsHold() {
    SeriesStableEvent event = new SeriesStableEvent("1.2.3", "1.2.3.4", null, "CT", "1.2.840.10008.5.1.4.1.1.2",
        "Müller, Anna\n%2C,", "", 3, List.of(Path.of("/spool/a b,c.dcm"), Path.of("/spool/d%20.dcm")), true,
        new SeriesCompleteness(List.of("2 slice(s) missing between 10.0 and 13.0 mm", "gap, with comma"), true));

    SeriesStableEvent again = StudyMessage.decode(StudyMessage.encode(event));

    assertThat(again).isEqualTo(event);
    assertThat(again.frameOfReferenceUid()).isNull();
    assertThat(again.accessionNumber()).isEmpty();
  }

  @Test
  void aMessageOfAnotherFormIsRefusedWithTheReason() {
    assertThatThrownBy(() -> StudyMessage.decode("hello")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a queued study");
    String good = StudyMessage.encode(new SeriesStableEvent("1", "2", "3", "CT", "4", "P", "A", 7,
        List.of(Path.of("/x.dcm")), false));
    assertThatThrownBy(() -> StudyMessage.decode(good.replaceFirst("\n7\n", "\nmany\n")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read");
  }
}
