package io.seedtrace.dosimetry.dvh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StructureNamesTest {

  @Test
  void matchesNamesWithoutRegardToCaseOrBlanks() {
    StructureNames names = StructureNames.defaults();
    assertThat(names.roleOf(" prostate ")).contains(StructureRole.TARGET);
    assertThat(names.roleOf("Ptv")).contains(StructureRole.TARGET);
    assertThat(names.roleOf("URETHRA")).contains(StructureRole.URETHRA);
    assertThat(names.roleOf("rectum")).contains(StructureRole.RECTUM);
    assertThat(names.roleOf("Femur_L")).isEmpty();
  }

  @Test
  void prefersTheEarlierNameOfTheTableWhenSeveralStructuresCouldBeTheTarget() {
    Structure ptv = Shapes.box("PTV", 0, 0, 1, 1, 0, 0, 1);
    Structure prostate = Shapes.box("Prostate", 0, 0, 1, 1, 0, 0, 1);
    assertThat(StructureNames.defaults().assign(List.of(ptv, prostate)).get(StructureRole.TARGET)).isSameAs(prostate);
    assertThat(StructureNames.parse("TARGET=PTV,PROSTATE").assign(List.of(prostate, ptv)).get(StructureRole.TARGET))
        .isSameAs(ptv);
  }

  @Test
  void aConfiguredTableAddsNamesAndRefusesUnknownRoles() {
    StructureNames names = StructureNames.parse("TARGET=Prostata,CTV; rectum = Rektum , Rectal wall");
    assertThat(names.roleOf("rectal WALL")).contains(StructureRole.RECTUM);
    assertThat(names.roleOf("prostata")).contains(StructureRole.TARGET);
    assertThat(names.roleOf("urethra")).isEmpty();
    assertThatThrownBy(() -> StructureNames.parse("LIVER=liver")).hasMessageContaining("unknown structure role");
    assertThatThrownBy(() -> StructureNames.parse("TARGET=")).hasMessageContaining("has no name");
    assertThatThrownBy(() -> StructureNames.parse("prostate")).hasMessageContaining("ROLE=name");
  }
}
