package io.seedtrace.server.custody;

import io.seedtrace.server.audit.AuditTrail;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/** Provenance of a custody step: what it produced, who did it, with which device or reader. */
public final class Provenances {

  private Provenances() {}

  public static Provenance of(List<String> targets, String actor, String step, String instrument) {
    Provenance p = new Provenance();
    targets.forEach(t -> p.addTarget(new Reference(t)));
    p.setRecorded(new Date());
    p.getActivity().addCoding(new Coding(AuditTrail.STEP_SYSTEM, step, null));
    Provenance.ProvenanceAgentComponent agent = p.addAgent();
    agent.getType().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/provenance-participant-type",
        "performer", "Performer"));
    agent.getWho().setDisplay(actor);
    if (instrument != null) {
      Provenance.ProvenanceAgentComponent tool = p.addAgent();
      tool.getType().addCoding(new Coding("http://terminology.hl7.org/CodeSystem/provenance-participant-type",
          "assembler", "Assembler"));
      tool.getWho().setDisplay(instrument);
    }
    return p;
  }
}
