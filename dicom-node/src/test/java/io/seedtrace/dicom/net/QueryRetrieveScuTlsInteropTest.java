package io.seedtrace.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.seedtrace.dicom.net.QueryRetrieveScu.Limits;
import io.seedtrace.dicom.net.QueryRetrieveScu.Study;
import io.seedtrace.dicom.net.QueryRetrieveScu.StudyQuery;
import io.seedtrace.dicom.testing.OrthancPacs;
import io.seedtrace.dicom.testing.Peers;
import io.seedtrace.dicom.testing.QrPeer;
import io.seedtrace.dicom.testing.Tools;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our Query/Retrieve SCU over DICOM TLS to Orthanc with TLS on its DICOM port, certificates made by
 * openssl at test time: a trusted PACS is queried, a PACS whose certificate we do not trust is
 * refused in the handshake, before the patient ID is sent.
 */
class QueryRetrieveScuTlsInteropTest {

  private static final Limits LIMITS = new Limits(Duration.ofSeconds(10), Duration.ofSeconds(60), 100);

  @TempDir
  Path work;

  @Test
  void findsAStudyOnOrthancOverTlsAndRefusesAnUntrustedPacs() throws Exception {
    assumeTrue(OrthancPacs.installed() && Tools.installed("openssl") && Tools.installed("keytool"),
        "Orthanc, openssl or keytool missing; Query/Retrieve TLS test skipped");
    certificate("pacs");
    certificate("node");
    Tools.check(List.of("keytool", "-importcert", "-noprompt", "-storetype", "PKCS12", "-keystore",
        work.resolve("trust.p12").toString(), "-storepass", "changeit", "-alias", "pacs", "-file",
        work.resolve("pacs.crt").toString()), work.resolve("keytool.log"));
    Tools.check(List.of("keytool", "-importcert", "-noprompt", "-storetype", "PKCS12", "-keystore",
        work.resolve("other.p12").toString(), "-storepass", "changeit", "-alias", "node", "-file",
        work.resolve("node.crt").toString()), work.resolve("keytool.log"));
    QueryRetrieveScuInteropTest.Archive archive = QueryRetrieveScuInteropTest.archive();
    String tls = "\"DicomTlsEnabled\":true,\"DicomTlsCertificate\":\"" + work.resolve("pacs.crt") + "\","
        + "\"DicomTlsPrivateKey\":\"" + work.resolve("pacs.key") + "\",\"DicomTlsTrustedCertificates\":\""
        + work.resolve("node.crt") + "\",\"DicomTlsRemoteCertificateRequired\":true";
    try (QrPeer pacs = OrthancPacs.start(work, "ORTHANC", "SEEDTRACE", Peers.freePort(), tls)) {
      pacs.load(archive.all());
      TlsSettings trusting = settings("trust.p12");
      try (QueryRetrieveScu scu = QueryRetrieveScu.open("127.0.0.1", pacs.port(), "SEEDTRACE", "ORTHANC", LIMITS,
          Optional.of(trusting))) {
        assertThat(scu.findStudies(new StudyQuery("IP-2026-0042", LocalDate.of(2026, 11, 20),
            LocalDate.of(2026, 11, 30), "CT")).items()).extracting(Study::studyUid).containsExactly(archive.studyUid());
      }
      assertThatThrownBy(() -> QueryRetrieveScu.open("127.0.0.1", pacs.port(), "SEEDTRACE", "ORTHANC", LIMITS,
          Optional.of(settings("other.p12")))).isInstanceOf(IOException.class).hasMessageContaining("TLS handshake");
    }
  }

  private TlsSettings settings(String truststore) {
    return new TlsSettings(work.resolve("node.p12"), "changeit".toCharArray(), Optional.of(work.resolve(truststore)),
        "changeit".toCharArray());
  }

  private void certificate(String name) throws Exception {
    Tools.check(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
        "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout",
        work.resolve(name + ".key").toString(), "-out", work.resolve(name + ".crt").toString()),
        work.resolve("openssl.log"));
    Tools.check(List.of("openssl", "pkcs12", "-export", "-in", work.resolve(name + ".crt").toString(), "-inkey",
        work.resolve(name + ".key").toString(), "-out", work.resolve(name + ".p12").toString(), "-passout",
        "pass:changeit", "-name", name), work.resolve("openssl.log"));
  }
}
