package io.seedtrace.detection.internal;

/** Weighted centre and covariance of points (millimetres). */
public final class Moments {

  public final double[] centre = new double[3];
  public final double[][] covariance = new double[3][3];
  public final double weight;

  public Moments(double[][] points, double[] weights, int count) {
    double sw = 0;
    for (int p = 0; p < count; p++) {
      sw += weights[p];
      for (int a = 0; a < 3; a++) {
        centre[a] += weights[p] * points[p][a];
      }
    }
    weight = sw;
    if (sw <= 0) {
      return;
    }
    for (int a = 0; a < 3; a++) {
      centre[a] /= sw;
    }
    for (int p = 0; p < count; p++) {
      for (int a = 0; a < 3; a++) {
        for (int b = a; b < 3; b++) {
          covariance[a][b] += weights[p] * (points[p][a] - centre[a]) * (points[p][b] - centre[b]);
        }
      }
    }
    for (int a = 0; a < 3; a++) {
      for (int b = a; b < 3; b++) {
        covariance[a][b] /= sw;
        covariance[b][a] = covariance[a][b];
      }
    }
  }
}
