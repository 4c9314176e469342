package io.seedtrace.server.dicom.pull;

import java.net.ServerSocket;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The pull rule of {@link CtPullIT} with {@code seedtrace.dicom.pull.retrieve=get}, for a PACS that
 * cannot connect back to us: Orthanc knows our AE title only at a port where nothing listens, so a
 * C-MOVE would fail; the CT comes by C-GET on the pull rule's own association, goes into the same
 * spool and series tracker as a pushed series, and is verified. Same cases: verified after the
 * deadline (timed), and a PACS that is down retried until it is back.
 */
class CtPullGetIT extends CtPullIT {

  @DynamicPropertySource
  static void byGet(DynamicPropertyRegistry registry) {
    registry.add("seedtrace.dicom.pull.retrieve", () -> "get");
  }

  /** Orthanc's entry for us points nowhere: it cannot open an association to our node. */
  @BeforeEach
  @Override
  void pacsKnowsOurNode() throws Exception {
    if (PACS != null) {
      int nowhere;
      try (ServerSocket s = new ServerSocket(0)) {
        nowhere = s.getLocalPort();
      }
      PACS.knows("SEEDTRACE", nowhere);
    }
  }

  @Override
  String retrievedHow() {
    return "retrieved by C-GET from";
  }
}
