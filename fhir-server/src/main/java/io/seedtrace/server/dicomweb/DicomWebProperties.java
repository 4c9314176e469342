package io.seedtrace.server.dicomweb;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * DICOMweb limits under {@code seedtrace.dicomweb}.
 *
 * @param maxPartSize the largest Part 10 file in a STOW-RS body; a larger one stops the request
 *     (instances before it stay stored, the answer lists them)
 * @param maxInstancesPerRequest the most files in one STOW-RS body
 * @param maxResults the most matches one QIDO-RS answer holds ({@code limit} may ask for fewer)
 */
@ConfigurationProperties("seedtrace.dicomweb")
public record DicomWebProperties(
    @DefaultValue("1GB") DataSize maxPartSize,
    @DefaultValue("10000") int maxInstancesPerRequest,
    @DefaultValue("1000") int maxResults) {

  public DicomWebProperties {
    if (maxPartSize.toBytes() < 1024 || maxInstancesPerRequest < 1 || maxResults < 1) {
      throw new IllegalArgumentException("seedtrace.dicomweb: max-part-size >= 1KB, max-instances-per-request >= 1"
          + " and max-results >= 1");
    }
  }
}
