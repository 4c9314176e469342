package io.seedtrace.routes.verification;

import io.seedtrace.detection.plan.RigidTransform;
import java.util.List;
import java.util.Optional;

/**
 * The planned seed positions of an implant, where they came from, and, when the plan's frame of
 * reference differs from the CT's, the transform into the CT's frame if one is known (a Spatial
 * Registration object); without one the verifier registers the point sets itself.
 */
public record Plan(List<double[]> positions, String frameOfReferenceUid, String source,
    Optional<RigidTransform> toCtFrame) {

  public Plan {
    positions = List.copyOf(positions);
  }
}
