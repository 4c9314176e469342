package io.seedtrace.server.custody;

import io.seedtrace.core.chip.CoseSign1;
import io.seedtrace.server.store.FhirStore;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Period;

/**
 * Resolves the key id of a chip's initial block to the public key registered on the
 * manufacturer's Organization: an identifier {@code https://seedtrace.io/fhir/sid/chip-signing-key|<kid>}
 * makes the key findable, the extension {@code chip-signing-key} (kid, publicKey = base64 X.509
 * SubjectPublicKeyInfo, optional period) holds it. A key outside its period or on an inactive
 * Organization is not found.
 */
public final class ManufacturerKeys implements CoseSign1.KeyResolver {

  private final FhirStore store;

  public ManufacturerKeys(FhirStore store) {
    this.store = store;
  }

  /** The Organization that registered the key, and the key. */
  public record Registered(Organization organization, PublicKey key) {}

  @Override
  public Optional<PublicKey> find(byte[] kid) {
    return lookup(new String(kid, StandardCharsets.UTF_8)).map(Registered::key);
  }

  public Optional<Registered> lookup(String kid) {
    for (Organization org : store.byIdentifier(Organization.class, CustodyCodes.SID_SIGNING_KEY, kid)) {
      if (org.hasActive() && !org.getActive()) {
        continue;
      }
      for (Extension ext : org.getExtensionsByUrl(CustodyCodes.EXT_SIGNING_KEY)) {
        Extension kidExt = ext.getExtensionByUrl("kid");
        Extension keyExt = ext.getExtensionByUrl("publicKey");
        if (kidExt == null || keyExt == null || !kid.equals(kidExt.getValue().primitiveValue())) {
          continue;
        }
        Extension period = ext.getExtensionByUrl("period");
        if (period != null && !covers((Period) period.getValue(), new Date())) {
          continue;
        }
        try {
          byte[] der = Base64.getDecoder().decode(keyExt.getValue().primitiveValue());
          return Optional.of(new Registered(org, KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der))));
        } catch (IllegalArgumentException | GeneralSecurityException unreadable) {
          // a key that cannot be read is no key
        }
      }
    }
    return Optional.empty();
  }

  static boolean covers(Period p, Date when) {
    return (!p.hasStart() || !when.before(p.getStart())) && (!p.hasEnd() || !when.after(p.getEnd()));
  }
}
