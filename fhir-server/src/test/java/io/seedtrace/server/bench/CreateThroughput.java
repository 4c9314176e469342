package io.seedtrace.server.bench;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hl7.fhir.r4.model.Device;

/** Times rounds of sequential FHIR creates through the real HTTP stack and summarises them. */
final class CreateThroughput {

  private CreateThroughput() {}

  /** Creates per second of each timed round of {@code perRound} sequential creates. */
  static List<Double> measure(IGenericClient fhir, int warmup, int rounds, int perRound) {
    for (int i = 0; i < warmup; i++) {
      fhir.create().resource(device("warm-" + i)).execute();
    }
    List<Double> rates = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      for (int i = 0; i < perRound; i++) {
        fhir.create().resource(device("r" + r + "-" + i)).execute();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      rates.add(perRound / seconds);
    }
    return rates;
  }

  private static Device device(String serial) {
    Device device = new Device();
    device.setSerialNumber(serial);
    device.setLotNumber("BENCH-LOT");
    device.addIdentifier().setSystem("urn:seedtrace:bench:cartridge").setValue(serial);
    return device;
  }

  static String summary(String label, List<Double> rates) {
    List<Double> sorted = new ArrayList<>(rates);
    Collections.sort(sorted);
    double median = sorted.size() % 2 == 1
        ? sorted.get(sorted.size() / 2)
        : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    return String.format("%s: 200 sequential creates, %d rounds: median %.1f creates/s (min %.1f, max %.1f)",
        label, sorted.size(), median, sorted.get(0), sorted.get(sorted.size() - 1));
  }
}
