package io.seedtrace.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.DetectionResult;
import io.seedtrace.detection.DetectorSettings;
import io.seedtrace.detection.RejectedCandidate;
import io.seedtrace.detection.Seed;
import io.seedtrace.detection.SeedDetector;
import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.dicom.volume.VolumeAssembler;
import io.seedtrace.dicom.volume.VolumeException;
import io.seedtrace.routes.verification.DetectSeeds;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code seedtrace detect <dir-of-dicom-files> [--json out.json] [--preview out.png]}: assembles the
 * CT series in a directory, runs seed detection, prints the count and a table of seeds, and
 * optionally writes the result as JSON and a PNG of three maximum-intensity projections with the
 * seeds circled and numbered. Runs without starting the server. Exit codes: 0 done, 2 usage, 3 bad input.
 */
public final class DetectCommand {

  private DetectCommand() {}

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    String usage = "usage: seedtrace detect <dir-of-dicom-files> [--json out.json] [--preview out.png]";
    if (!args.isEmpty() && (args.get(0).equals("--help") || args.get(0).equals("-h"))) {
      out.println(usage);
      out.println("Counts and locates the seeds in one CT series. Exit codes: 0 done, 2 usage, 3 unusable input.");
      return 0;
    }
    if (args.isEmpty() || args.get(0).startsWith("-")) {
      err.println(usage);
      return 2;
    }
    Path dir = Path.of(args.get(0));
    Path json = null;
    Path preview = null;
    for (int i = 1; i < args.size(); i++) {
      if (args.get(i).equals("--json") && i + 1 < args.size()) {
        json = Path.of(args.get(++i));
      } else if (args.get(i).equals("--preview") && i + 1 < args.size()) {
        preview = Path.of(args.get(++i));
      } else {
        err.println("unknown option: " + args.get(i));
        return 2;
      }
    }
    if (!Files.isDirectory(dir)) {
      err.println("not a directory: " + dir);
      return 3;
    }
    try {
      List<Path> files;
      try (Stream<Path> s = Files.list(dir)) {
        files = s.filter(Files::isRegularFile).sorted().toList();
      }
      if (files.isEmpty()) {
        err.println("no files in " + dir);
        return 3;
      }
      ImageVolume v = VolumeAssembler.assemble(files);
      CtScan scan = DetectSeeds.scanOf(v);
      DetectionResult r = new SeedDetector(DetectorSettings.defaults()).detect(scan);
      out.printf("Series %s: %d x %d x %d voxels, %.2f x %.2f x %.2f mm%n", v.seriesUid(), v.nx(), v.ny(), v.nz(),
          v.dx(), v.dy(), v.dz());
      out.printf("Seeds: %d%s%n", r.count(), r.countIsCertain() ? ""
          : String.format(" (uncertain: %d to %d, %d ambiguous clusters)", r.minCount(), r.maxCount(), r.ambiguousClusters()));
      out.printf("%5s %9s %9s %9s  %-22s %5s%n", "#", "x mm", "y mm", "z mm", "axis", "conf");
      int n = 1;
      for (Seed s : r.seeds()) {
        out.printf("%5d %9.2f %9.2f %9.2f  (%5.2f,%5.2f,%5.2f) %5.2f%n", n++, s.centre()[0], s.centre()[1], s.centre()[2],
            s.axis()[0], s.axis()[1], s.axis()[2], s.confidence());
      }
      for (RejectedCandidate c : r.rejected()) {
        out.printf("rejected %-17s at (%.1f, %.1f, %.1f): %s%n", c.reason(), c.centre()[0], c.centre()[1], c.centre()[2],
            c.details());
      }
      if (json != null) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("studyInstanceUid", v.studyUid());
        doc.put("seriesInstanceUid", v.seriesUid());
        doc.put("frameOfReferenceUid", v.frameOfReferenceUid());
        doc.put("count", r.count());
        doc.put("uncertainty", Map.of("minCount", r.minCount(), "maxCount", r.maxCount(),
            "ambiguousClusters", r.ambiguousClusters()));
        // "centerMm" (LPS mm), the spelling scoring tools and other CT software read
        doc.put("seeds", r.seeds().stream().map(s -> Map.of("centerMm", s.centre(), "axis", s.axis(),
            "confidence", s.confidence(), "clusterId", s.clusterId(), "clusterSize", s.clusterSize())).toList());
        doc.put("rejected", r.rejected().stream().map(c -> Map.of("centerMm", c.centre(), "reason", c.reason().name(),
            "details", c.details())).toList());
        doc.put("timingsMillis", r.timingsMillis());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), doc);
        out.println("JSON written to " + json);
      }
      if (preview != null) {
        SeedPreview.write(scan, r.seeds(), preview);
        out.println("Preview written to " + preview);
      }
      return 0;
    } catch (VolumeException e) {
      err.println("cannot use this series: " + e.getMessage());
      return 3;
    } catch (io.seedtrace.detection.UnusableScanException e) {
      err.println("cannot count seeds in this series: " + e.getMessage());
      return 3;
    } catch (IOException e) {
      err.println("cannot read " + dir + ": " + e.getMessage());
      return 3;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("interrupted");
      return 3;
    }
  }
}
