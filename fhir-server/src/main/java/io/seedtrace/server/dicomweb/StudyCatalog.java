package io.seedtrace.server.dicomweb;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.spool.InstanceRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The studies and series the node holds, grouped from the spool's index (in order of arrival), with
 * the attributes the index does not keep (dates, names, descriptions) read from the header of one
 * stored file per study or series when asked for.
 */
final class StudyCatalog {

  /** The largest header read from a stored file. */
  private static final int MAX_HEADER = 1 << 20;

  record Series(String studyUid, String seriesUid, List<InstanceRecord> instances) {
    InstanceRecord first() {
      return instances.get(0);
    }

    DataSet header() {
      return StudyCatalog.header(first());
    }
  }

  record Study(String studyUid, Map<String, Series> series) {
    InstanceRecord first() {
      return series.values().iterator().next().first();
    }

    int instanceCount() {
      return series.values().stream().mapToInt(s -> s.instances().size()).sum();
    }

    Collection<String> modalities() {
      TreeSet<String> modalities = new TreeSet<>();
      series.values().forEach(s -> {
        if (!s.first().modality().isEmpty()) {
          modalities.add(s.first().modality());
        }
      });
      return modalities;
    }

    DataSet header() {
      return StudyCatalog.header(first());
    }
  }

  private final Map<String, Study> studies;

  private StudyCatalog(Map<String, Study> studies) {
    this.studies = studies;
  }

  static StudyCatalog of(List<InstanceRecord> records) {
    Map<String, Map<String, List<InstanceRecord>>> grouped = new LinkedHashMap<>();
    for (InstanceRecord r : records) {
      grouped.computeIfAbsent(r.studyUid(), k -> new LinkedHashMap<>())
          .computeIfAbsent(r.seriesUid(), k -> new ArrayList<>()).add(r);
    }
    Map<String, Study> studies = new LinkedHashMap<>();
    grouped.forEach((study, series) -> {
      Map<String, Series> s = new LinkedHashMap<>();
      series.forEach((uid, instances) -> s.put(uid, new Series(study, uid, List.copyOf(instances))));
      studies.put(study, new Study(study, s));
    });
    return new StudyCatalog(studies);
  }

  Collection<Study> studies() {
    return studies.values();
  }

  Optional<Study> study(String uid) {
    return Optional.ofNullable(studies.get(uid));
  }

  /** The stored file's header; empty when it cannot be read (gone meanwhile, or unreadable). */
  static DataSet header(InstanceRecord record) {
    try {
      return Part10.readHeader(record.path(), MAX_HEADER);
    } catch (IOException | DicomFormatException e) {
      return new DataSet();
    }
  }
}
