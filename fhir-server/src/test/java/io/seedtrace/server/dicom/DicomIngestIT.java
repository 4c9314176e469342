package io.seedtrace.server.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Element;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;
import io.seedtrace.dicom.net.Dimse;
import io.seedtrace.dicom.net.StoreScu;
import io.seedtrace.routes.dicom.SeriesArrivals;
import io.seedtrace.server.support.ServerTestBase;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A PACS pushes a CT series to the running server; the series reaches the Camel hub. */
class DicomIngestIT extends ServerTestBase {

  @Autowired
  DicomNodeService node;

  @Autowired
  SeriesArrivals arrivals;

  private static String uid() {
    return "2.25." + new java.math.BigInteger(UUID.randomUUID().toString().replace("-", ""), 16);
  }

  private static byte[] slice(String study, String series, int i) {
    DataSet ds = new DataSet()
        .putString(Tag.SOPClassUID, Vr.UI, NodeConfig.CT_IMAGE)
        .putString(Tag.SOPInstanceUID, Vr.UI, uid())
        .putString(Tag.AccessionNumber, Vr.SH, "ACC-IT-1")
        .putString(Tag.Modality, Vr.CS, "CT")
        .putString(Tag.PatientID, Vr.LO, "IP-IT-1")
        .putString(Tag.StudyInstanceUID, Vr.UI, study)
        .putString(Tag.SeriesInstanceUID, Vr.UI, series)
        .putString(Tag.InstanceNumber, Vr.IS, Integer.toString(i + 1))
        .putUS(Tag.Rows, 4).putUS(Tag.Columns, 4).putUS(Tag.BitsAllocated, 16)
        .put(Element.ofValue(Tag.PixelData, Vr.OW, new byte[32]));
    return Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
  }

  @Test
  void anMrSeriesIsStoredAndListedAndCompressedSyntaxesAreAcceptedByDefault() throws Exception {
    String mrClass = "1.2.840.10008.5.1.4.1.1.4";
    String study = uid();
    String series = uid();
    DataSet ds = Part10.read(slice(study, series, 0)).dataSet()
        .putString(Tag.SOPClassUID, Vr.UI, mrClass)
        .putString(Tag.Modality, Vr.CS, "MR");
    try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE", List.of(
        new StoreScu.Proposal(mrClass, List.of("1.2.840.10008.1.2.1")),
        new StoreScu.Proposal(NodeConfig.CT_IMAGE, List.of("1.2.840.10008.1.2.4.90"))), 5000)) {
      assertThat(scu.acceptedTransferSyntax(NodeConfig.CT_IMAGE)).as("JPEG 2000 lossless accepted")
          .isEqualTo("1.2.840.10008.1.2.4.90");
      assertThat(scu.store(Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN))).isEqualTo(Dimse.SUCCESS);
    }
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(arrivals.recent())
        .anySatisfy(e -> {
          assertThat(e.seriesUid()).isEqualTo(series);
          assertThat(e.modality()).isEqualTo("MR");
        }));
    assertThat(Files.list(DATA_DIR.resolve("dicom").resolve(study).resolve(series)).count()).isEqualTo(1);
  }

  @Test
  void aPushedSeriesIsSpooledAndAnnouncedToTheHub() throws Exception {
    String study = uid();
    String series = uid();
    try (StoreScu scu = StoreScu.open("127.0.0.1", node.port(), "PACS", "SEEDTRACE",
        List.of(new StoreScu.Proposal(NodeConfig.CT_IMAGE, List.of("1.2.840.10008.1.2.1"))), 5000)) {
      assertThat(scu.echo()).isEqualTo(Dimse.SUCCESS);
      for (int i = 0; i < 3; i++) {
        assertThat(scu.store(slice(study, series, i))).isEqualTo(Dimse.SUCCESS);
      }
    }
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(arrivals.recent())
        .anySatisfy(e -> {
          assertThat(e.seriesUid()).isEqualTo(series);
          assertThat(e.instanceCount()).isEqualTo(3);
          assertThat(e.accessionNumber()).isEqualTo("ACC-IT-1");
        }));
    assertThat(Files.list(DATA_DIR.resolve("dicom").resolve(study).resolve(series)).count()).isEqualTo(3);
  }
}
