package io.seedtrace.dosimetry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The TG-43U1 consensus data of one seed model: dose-rate constant, active length, radial dose
 * function and 2-D anisotropy function, read from a versioned data file under
 * {@code io/seedtrace/dosimetry/seeds/} that names its published source.
 *
 * <pre>{@code
 * SeedModel oncoSeed = SeedModel.load("oncoseed-6711");
 * double perU = oncoSeed.doseRatePerSk(1.0, Math.PI / 2); // == Lambda, cGy/(h U)
 * }</pre>
 */
public final class SeedModel {

  /** Reference point of TG-43: r0 = 1 cm, theta0 = 90 degrees. */
  public static final double R0_CM = 1.0;

  /** Seed models shipped with the module, by resource name. */
  public static final String[] BUNDLED = {"oncoseed-6711", "best-2301", "nasi-med3631"};

  private final String model;
  private final String name;
  private final double lambda;
  private final double activeLengthCm;
  private final RadialDoseFunction radialDose;
  private final AnisotropyFunction anisotropy;
  private final double referenceGeometry;
  private final double minRadiusCm;

  SeedModel(String model, String name, double lambda, double activeLengthCm, RadialDoseFunction radialDose,
      AnisotropyFunction anisotropy) {
    if (!(lambda > 0) || !(activeLengthCm > 0)) {
      throw new IllegalArgumentException("model " + model + ": lambda and active length must be positive");
    }
    this.model = Objects.requireNonNull(model);
    this.name = Objects.requireNonNull(name);
    this.lambda = lambda;
    this.activeLengthCm = activeLengthCm;
    this.radialDose = Objects.requireNonNull(radialDose);
    this.anisotropy = Objects.requireNonNull(anisotropy);
    this.referenceGeometry = LineSourceGeometry.value(R0_CM, Math.PI / 2, activeLengthCm);
    this.minRadiusCm = activeLengthCm / 2 + 0.05;
  }

  /**
   * Loads a bundled model, e.g. {@code "oncoseed-6711"}.
   *
   * @throws IllegalArgumentException if no such data file exists or it is malformed
   */
  public static SeedModel load(String resourceName) {
    String path = "seeds/" + resourceName + ".tg43";
    try (InputStream in = SeedModel.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no seed model data file " + path);
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SeedModel parse(BufferedReader reader) throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("seed data line without '=': " + trimmed);
      }
      fields.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
    }
    RadialDoseFunction g = new RadialDoseFunction(numbers(fields, "g_r"), numbers(fields, "g"));
    double[] radii = numbers(fields, "F_r");
    List<String> angleKeys = fields.keySet().stream().filter(k -> k.startsWith("F_") && !k.equals("F_r")).toList();
    double[] angles = angleKeys.stream().mapToDouble(k -> Double.parseDouble(k.substring(2))).toArray();
    double[][] values = angleKeys.stream().map(k -> numbers(fields, k)).toArray(double[][]::new);
    AnisotropyFunction f = new AnisotropyFunction(radii, angles, values);
    return new SeedModel(required(fields, "model"), required(fields, "name"),
        Double.parseDouble(required(fields, "lambda")), Double.parseDouble(required(fields, "active_length")), g, f);
  }

  private static String required(Map<String, String> fields, String key) {
    String v = fields.get(key);
    if (v == null) {
      throw new IllegalArgumentException("seed data file lacks '" + key + "'");
    }
    return v;
  }

  private static double[] numbers(Map<String, String> fields, String key) {
    return Arrays.stream(required(fields, key).split("\\s+")).mapToDouble(Double::parseDouble).toArray();
  }

  /**
   * Dose rate in water per unit air-kerma strength, cGy/(h U), with the line-source 2-D formalism:
   * Lambda * G_L(r,theta)/G_L(r0,theta0) * g_L(r) * F(r,theta). Radii below {@link #minRadiusCm()}
   * are evaluated at that radius (inside the capsule TG-43 does not apply).
   *
   * @param rCm distance from the seed centre, cm
   * @param thetaRad polar angle from the seed axis, radians, 0..pi
   */
  public double doseRatePerSk(double rCm, double thetaRad) {
    double r = Math.max(rCm, minRadiusCm);
    return lambda * LineSourceGeometry.value(r, thetaRad, activeLengthCm) / referenceGeometry
        * radialDose.value(r) * anisotropy.value(r, Math.toDegrees(thetaRad));
  }

  /**
   * 1-D point-source approximation per unit S_K (TG-43U1 form with the line-source geometry factor at
   * theta0): Lambda * G_L(r,theta0)/G_L(r0,theta0) * g_L(r) * phi_an(r). For seeds whose axis is unknown.
   */
  public double pointSourceDoseRatePerSk(double rCm) {
    double r = Math.max(rCm, minRadiusCm);
    return lambda * LineSourceGeometry.value(r, Math.PI / 2, activeLengthCm) / referenceGeometry
        * radialDose.value(r) * anisotropyFactor(r);
  }

  /**
   * 1-D anisotropy function phi_an(r): the solid-angle weighted mean dose rate over a sphere of radius
   * r divided by the transverse-axis dose rate (TG-43U1 definition), integrated numerically from
   * G_L and F because the consensus phi_an table is not in our data files.
   */
  public double anisotropyFactor(double rCm) {
    int steps = 180;
    double sum = 0;
    double transverse = LineSourceGeometry.value(rCm, Math.PI / 2, activeLengthCm);
    for (int i = 0; i < steps; i++) {
      double theta = (i + 0.5) * Math.PI / steps;
      double rate = LineSourceGeometry.value(rCm, theta, activeLengthCm)
          * anisotropy.value(rCm, Math.toDegrees(theta));
      sum += rate * Math.sin(theta) * Math.PI / steps;
    }
    return sum / 2 / transverse;
  }

  public String model() {
    return model;
  }

  public String name() {
    return name;
  }

  /** Dose-rate constant Lambda, cGy/(h U). */
  public double lambda() {
    return lambda;
  }

  public double activeLengthCm() {
    return activeLengthCm;
  }

  public RadialDoseFunction radialDose() {
    return radialDose;
  }

  public AnisotropyFunction anisotropy() {
    return anisotropy;
  }

  /** Radius below which dose is evaluated at this radius: half the active length plus 0.5 mm. */
  public double minRadiusCm() {
    return minRadiusCm;
  }

  @Override
  public String toString() {
    return "SeedModel[" + model + ", " + name + "]";
  }
}
