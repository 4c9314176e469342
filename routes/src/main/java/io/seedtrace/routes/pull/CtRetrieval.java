package io.seedtrace.routes.pull;

import java.io.IOException;

/** Fetches an implant's post-operative CT from the PACS to our node. */
public interface CtRetrieval {

  /**
   * What a retrieval brought: the CT series moved and their instances; none when the PACS holds no
   * CT of the patient in the searched days (yet).
   */
  record Retrieved(int series, int instances, String pacs) {
    boolean found() {
      return series > 0;
    }
  }

  /**
   * Searches the PACS and moves every CT series found to our node.
   *
   * @throws IOException when the PACS cannot be reached, refuses, or a move fails in part
   */
  Retrieved retrieve(AwaitedImplant implant) throws IOException;
}
