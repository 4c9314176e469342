package io.seedtrace.server.cli;

import io.seedtrace.detection.CtScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a generated scan as a CT series (one Part 10 file per slice), for CLI tests. */
final class PhantomSeries {

  private PhantomSeries() {}

  static String uid() {
    return CtSeriesFiles.uid();
  }

  static void write(CtScan scan, Path dir, String seriesUid) throws IOException {
    String study = uid();
    List<byte[]> files = CtSeriesFiles.files(scan, new CtSeriesFiles.Ids("PHANTOM", "PHANTOM", null, "20261124",
        study, seriesUid, study + ".1"));
    for (int k = 0; k < files.size(); k++) {
      Files.write(dir.resolve(String.format("slice%04d.dcm", k)), files.get(k));
    }
  }
}
