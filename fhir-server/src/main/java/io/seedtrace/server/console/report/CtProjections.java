package io.seedtrace.server.console.report;

import io.seedtrace.dicom.volume.ImageVolume;
import io.seedtrace.dicom.volume.VolumeAssembler;
import io.seedtrace.dicom.volume.VolumeException;
import io.seedtrace.server.console.report.SeedProjections.Plane;
import io.seedtrace.server.verification.SeedFigures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The report page's projections, drawn from the CT series still in the spool, within bounds: a
 * series larger than {@code maxSeriesBytes} is not loaded (a volume in memory is about as large as
 * its files), one volume is loaded at a time (a second request waits at most {@code wait}, then
 * gets a 503), and the pictures of the last few reports are kept so that the three images of a
 * page load the volume once.
 */
public final class CtProjections {

  /** Whether the verified CT can still be drawn. */
  public enum Availability { AVAILABLE, GONE, TOO_LARGE }

  private static final int KEPT_REPORTS = 12;

  private final long maxSeriesBytes;
  private final Duration wait;
  private final Semaphore loading = new Semaphore(1);
  private final Map<String, Map<Plane, byte[]>> drawn = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Map<Plane, byte[]>> eldest) {
      return size() > KEPT_REPORTS;
    }
  };

  public CtProjections(long maxSeriesBytes, Duration wait) {
    this.maxSeriesBytes = maxSeriesBytes;
    this.wait = wait;
  }

  /** Whether the series' files are all still in the spool and small enough to load. */
  public Availability availability(SeedFigures figures) {
    long bytes = 0;
    for (String file : figures.seriesFiles()) {
      Path path = Path.of(file);
      try {
        bytes += Files.size(path);
      } catch (IOException gone) {
        return Availability.GONE;
      }
    }
    if (figures.seriesFiles().isEmpty()) {
      return Availability.GONE;
    }
    return bytes > maxSeriesBytes ? Availability.TOO_LARGE : Availability.AVAILABLE;
  }

  /**
   * The projection of a verification's CT in one plane, as PNG.
   *
   * @throws ResponseStatusException 404 when the CT is no longer in the spool, 413 when it is too
   *     large to draw, 503 when another volume is being loaded for longer than the wait
   */
  public byte[] png(String verificationId, SeedFigures figures, Plane plane) {
    synchronized (drawn) {
      Map<Plane, byte[]> kept = drawn.get(verificationId);
      if (kept != null) {
        return kept.get(plane);
      }
    }
    switch (availability(figures)) {
      case GONE -> throw new ResponseStatusException(HttpStatus.NOT_FOUND, "The CT series is no longer in the spool.");
      case TOO_LARGE -> throw new ResponseStatusException(HttpStatus.PAYLOAD_TOO_LARGE,
          "The CT series is larger than " + maxSeriesBytes + " bytes, the most the console draws.");
      default -> { }
    }
    return drawOnce(verificationId, figures).get(plane);
  }

  private Map<Plane, byte[]> drawOnce(String verificationId, SeedFigures figures) {
    try {
      if (!loading.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Another CT is being drawn; try again.");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted while waiting to draw the CT.");
    }
    try {
      synchronized (drawn) {
        Map<Plane, byte[]> kept = drawn.get(verificationId);
        if (kept != null) {
          return kept;
        }
      }
      ImageVolume volume = VolumeAssembler.assemble(figures.seriesFiles().stream().map(Path::of).toList());
      Map<Plane, byte[]> pngs = SeedProjections.draw(volume, figures);
      synchronized (drawn) {
        drawn.put(verificationId, pngs);
      }
      return pngs;
    } catch (IOException | VolumeException e) {
      throw new ResponseStatusException(HttpStatus.NOT_FOUND, "The CT series can no longer be read: " + e.getMessage());
    } finally {
      loading.release();
    }
  }

  /** The planes in the order the page shows them. */
  public static List<Plane> planes() {
    return List.of(Plane.values());
  }
}
