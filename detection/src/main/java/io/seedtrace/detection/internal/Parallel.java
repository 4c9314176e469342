package io.seedtrace.detection.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs independent pieces of work on a few daemon threads and returns their results in order. */
public final class Parallel {

  private Parallel() {}

  public static <T> List<T> run(List<Callable<T>> work, int threads) throws InterruptedException {
    List<T> out = new ArrayList<>(work.size());
    if (threads <= 1 || work.size() < 2) {
      for (Callable<T> w : work) {
        if (Thread.interrupted()) {
          throw new InterruptedException("stopped");
        }
        out.add(call(w));
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "seed-detector");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<T>> futures = new ArrayList<>(work.size());
      for (Callable<T> w : work) {
        futures.add(pool.submit(w));
      }
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static <T> T call(Callable<T> w) {
    try {
      return w.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
