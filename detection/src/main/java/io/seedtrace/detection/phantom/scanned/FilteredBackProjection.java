package io.seedtrace.detection.phantom.scanned;

/**
 * Reconstruction by filtered back-projection.
 *
 * <p>Each projection is convolved with the ramp filter (in the frequency domain, zero-padded to
 * avoid wrap-around). The ramp is built from its exact band-limited sampled form, h(0) = 1/(4du^2),
 * h(n odd) = -1/(pi n du)^2, so the zero-frequency gain is right and flat regions keep their level;
 * it is then multiplied by the kernel's window. Two real views are filtered in one complex
 * transform. Filtered views are smeared back across the image along their rays (linear
 * interpolation between bins) and summed with weight pi/views, which inverts the Radon transform.
 */
final class FilteredBackProjection {

  private final ParallelBeam beam;
  private final Fft fft;
  private final double[] filter;
  private final double[] re;
  private final double[] im;

  FilteredBackProjection(ParallelBeam beam, ReconKernel kernel) {
    this.beam = beam;
    int n = Integer.highestOneBit(2 * beam.bins - 1) << 1;
    this.fft = new Fft(n);
    this.filter = rampFilter(kernel);
    this.re = new double[n];
    this.im = new double[n];
  }

  private double[] rampFilter(ReconKernel kernel) {
    int n = fft.length();
    double du = beam.du;
    double[] hr = new double[n];
    double[] hi = new double[n];
    hr[0] = 1 / (4 * du * du);
    for (int k = 1; k < n / 2; k += 2) {
      double v = -1 / (Math.PI * Math.PI * k * k * du * du);
      hr[k] = v;
      hr[n - k] = v;
    }
    fft.transform(hr, hi, false);
    double[] h = new double[n];
    for (int k = 0; k < n; k++) {
      int f = Math.min(k, n - k);
      h[k] = hr[k] * du * kernel.window(2.0 * f / n) / n;
    }
    return h;
  }

  /** Filters the sinogram in place (projections p, filtered in units of 1/mm). */
  void filter(float[] sinogram) {
    int bins = beam.bins;
    int n = fft.length();
    for (int v = 0; v < beam.views; v += 2) {
      boolean pair = v + 1 < beam.views;
      java.util.Arrays.fill(re, 0);
      java.util.Arrays.fill(im, 0);
      for (int k = 0; k < bins; k++) {
        re[k] = sinogram[v * bins + k];
        im[k] = pair ? sinogram[(v + 1) * bins + k] : 0;
      }
      fft.transform(re, im, false);
      for (int k = 0; k < n; k++) {
        re[k] *= filter[k];
        im[k] *= filter[k];
      }
      fft.transform(re, im, true);
      for (int k = 0; k < bins; k++) {
        sinogram[v * bins + k] = (float) re[k];
        if (pair) {
          sinogram[(v + 1) * bins + k] = (float) im[k];
        }
      }
    }
  }

  /**
   * Back-projects a filtered sinogram onto a square image of {@code n} pixels of {@code pixel} mm
   * centred at ({@code cx}, {@code cy}); returns attenuation (1/mm), row-major.
   */
  void backProject(float[] filtered, int n, double pixel, double cx, double cy, float[] image) {
    java.util.Arrays.fill(image, 0);
    double x0 = cx - (n - 1) / 2.0 * pixel;
    double y0 = cy - (n - 1) / 2.0 * pixel;
    int bins = beam.bins;
    for (int v = 0; v < beam.views; v++) {
      double c = beam.cos[v];
      double s = beam.sin[v];
      int off = v * bins;
      float dk = (float) (pixel * c / beam.du);
      for (int j = 0; j < n; j++) {
        float f = (float) ((x0 * c + (y0 + j * pixel) * s - beam.u0) / beam.du);
        int row = j * n;
        for (int i = 0; i < n; i++, f += dk) {
          int k = (int) f;
          if (k >= 0 && k < bins - 1) {
            float t = f - k;
            float a = filtered[off + k];
            image[row + i] += a + t * (filtered[off + k + 1] - a);
          }
        }
      }
    }
    float scale = (float) (Math.PI / beam.views);
    for (int p = 0; p < image.length; p++) {
      image[p] *= scale;
    }
  }
}
