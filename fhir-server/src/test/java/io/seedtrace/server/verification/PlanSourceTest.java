package io.seedtrace.server.verification;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.detection.plan.RigidTransform;
import io.seedtrace.routes.verification.Plan;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlanSourceTest {

  @Test
  void onlyAPlanReadFromADicomRtPlanNamesAnRtPlanToReferTo() {
    assertThat(PlanSource.rtPlanUid(plan(PlanSource.RT_PLAN + "1.2.826.0.1.7"))).contains("1.2.826.0.1.7");
    assertThat(PlanSource.rtPlanUid(plan(PlanSource.RT_PLAN + "1.2.826.0.1.7 via registration 1.2.3")))
        .contains("1.2.826.0.1.7");
    assertThat(PlanSource.rtPlanUid(plan("RT Structure Set 1.2.826.0.1.8"))).isEmpty();
    assertThat(PlanSource.rtPlanUid(plan("plan document DocumentReference/4"))).isEmpty();
  }

  private static Plan plan(String source) {
    return new Plan(List.of(new double[] {0, 0, 0}), "1.2.3", source, Optional.of(RigidTransform.identity()));
  }
}
