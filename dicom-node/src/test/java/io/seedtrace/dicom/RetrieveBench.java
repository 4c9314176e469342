package io.seedtrace.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.net.QueryRetrieveScu;
import io.seedtrace.dicom.net.QueryRetrieveScu.GetStorage;
import io.seedtrace.dicom.net.QueryRetrieveScu.Limits;
import io.seedtrace.dicom.net.QueryRetrieveScu.MoveResult;
import io.seedtrace.dicom.testing.OrthancPacs;
import io.seedtrace.dicom.testing.TestCt;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time to retrieve the same CT series (100 slices of 512 x 512, 52 MB) from Orthanc into our
 * node's spool by C-MOVE (Orthanc opens a second association to our Storage SCP) and by C-GET (the
 * instances come on our own association), alternating, one warm-up each, then {@value #ROUNDS}
 * measured rounds. The clock runs from the request to the final response, by which time every
 * instance is durable in our spool. Run with
 * {@code ./mvnw -o -pl dicom-node -Pbench test -Dtest=RetrieveBench}; figures are printed as BENCH lines.
 */
class RetrieveBench {

  private static final int ROUNDS = 5;
  private static final int SLICES = 100;

  @TempDir
  Path work;

  @Test
  void getAgainstMoveFromOrthanc() throws Exception {
    assumeTrue(OrthancPacs.installed(), "Orthanc is not installed; bench skipped");
    String study = TestCt.uid();
    String series = TestCt.uid();
    List<byte[]> files = new ArrayList<>();
    for (int i = 0; i < SLICES; i++) {
      DataSet ds = TestCt.slice(study, series, TestCt.uid(), i, 512, 7);
      files.add(Part10.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }
    NodeConfig config = NodeConfig.defaults(work.resolve("spool")).withPort(0)
        .withPeers(Set.of("ORTHANC"), Set.of("127.0.0.1")).withQuietTime(Duration.ofSeconds(1));
    Limits limits = new Limits(Duration.ofSeconds(30), Duration.ofMinutes(5), 100);
    GetStorage ct = new GetStorage(List.of(NodeConfig.CT_IMAGE), NodeConfig.NATIVE_TRANSFER_SYNTAXES);
    List<Long> move = new ArrayList<>();
    List<Long> get = new ArrayList<>();
    try (DicomNode node = DicomNode.start(config, e -> {});
        OrthancPacs pacs = OrthancPacs.start(work, "ORTHANC", "SEEDTRACE", node.port())) {
      pacs.load(files);
      for (int round = 0; round <= ROUNDS; round++) {
        try (QueryRetrieveScu scu = QueryRetrieveScu.open("127.0.0.1", pacs.port(), "SEEDTRACE", "ORTHANC", limits,
            Optional.empty(), ct)) {
          long t0 = System.nanoTime();
          MoveResult moved = scu.moveSeries(study, series, "SEEDTRACE");
          long t1 = System.nanoTime();
          MoveResult got = scu.getSeries(study, series, node.spool());
          long t2 = System.nanoTime();
          assertThat(moved.completed()).isEqualTo(SLICES);
          assertThat(got.completed()).isEqualTo(SLICES);
          if (round > 0) {
            move.add((t1 - t0) / 1_000_000);
            get.add((t2 - t1) / 1_000_000);
          }
        }
      }
    }
    System.out.println("BENCH retrieve C-MOVE " + summary(move) + "; C-GET " + summary(get) + " (" + SLICES
        + " slices 512x512, " + ROUNDS + " rounds)");
  }

  private static String summary(List<Long> ms) {
    List<Long> s = ms.stream().sorted().toList();
    return "median " + s.get(s.size() / 2) + " ms (" + s.get(0) + "-" + s.get(s.size() - 1) + ")";
  }
}
