package io.seedtrace.server.dicom;

import io.seedtrace.dicom.net.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The DICOM node, under {@code seedtrace.dicom}.
 *
 * @param allowedCallingAeTitles AE titles of the PACS/modalities that may send; {@code *} for any
 * @param allowedAddresses their IP addresses; {@code *} for any
 * @param spoolDir where received instances are kept; default {@code <data-dir>/dicom}
 * @param incompleteGrace how long a CT series with a gap in its slices or instance numbers, or whose
 *     association was aborted, waits after its last instance for the missing ones; then it is
 *     verified and reported as incomplete
 * @param acceptCompressed also accept JPEG, JPEG-LS, JPEG 2000 and RLE (decoded for detection); off,
 *     a PACS must send native pixels
 * @param privateSopClasses SOP class UIDs accepted besides every storage class of the standard
 *     (a vendor's private classes); stored, listed, not verified
 * @param queryRetrieveScp answer C-FIND and C-MOVE (Patient Root and Study Root) from the allowed
 *     peers over what the node holds; default false
 * @param moveDestinations C-MOVE destinations: AE title to {@code host:port}
 * @param tls DICOM TLS (BCP 195): off unless a keystore is given; with a truststore, peers must
 *     present a certificate it trusts
 */
@ConfigurationProperties("seedtrace.dicom")
public record DicomProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("SEEDTRACE") String aeTitle,
    @DefaultValue("0.0.0.0") String bindAddress,
    @DefaultValue("11112") int port,
    @DefaultValue("") String spoolDir,
    @DefaultValue List<String> allowedCallingAeTitles,
    @DefaultValue List<String> allowedAddresses,
    @DefaultValue("true") boolean acceptCompressed,
    @DefaultValue List<String> privateSopClasses,
    @DefaultValue("16") int maxAssociations,
    @DefaultValue("60s") Duration idleTimeout,
    @DefaultValue("5s") Duration quietTime,
    @DefaultValue("5m") Duration incompleteGrace,
    @DefaultValue("256") int spoolReserveFiles,
    @DefaultValue("640KB") org.springframework.util.unit.DataSize spoolReserveFileSize,
    @DefaultValue("false") boolean queryRetrieveScp,
    java.util.Map<String, String> moveDestinations,
    Tls tls) {

  public DicomProperties {
    moveDestinations = moveDestinations == null ? java.util.Map.of() : java.util.Map.copyOf(moveDestinations);
    if (tls == null) {
      tls = new Tls("", "", "", "");
    }
  }

  /** {@code seedtrace.dicom.tls.*}: PKCS#12 keystore (node certificate and key) and optional truststore. */
  public record Tls(@DefaultValue("") String keystore, @DefaultValue("") String keystorePassword,
      @DefaultValue("") String truststore, @DefaultValue("") String truststorePassword) {

    public boolean enabled() {
      return !keystore.isBlank();
    }

    /**
     * The settings for an association we open to a PACS ({@code setting} names the property that
     * asked for TLS, for the message when no keystore is configured).
     *
     * @throws IllegalStateException when no keystore is configured
     */
    public TlsSettings clientSettings(String setting) {
      if (!enabled()) {
        throw new IllegalStateException(setting + " needs seedtrace.dicom.tls.keystore (and a truststore holding the"
            + " PACS certificate)");
      }
      return new TlsSettings(Path.of(keystore), keystorePassword.toCharArray(),
          truststore.isBlank() ? Optional.empty() : Optional.of(Path.of(truststore)),
          truststorePassword.toCharArray());
    }
  }
}
