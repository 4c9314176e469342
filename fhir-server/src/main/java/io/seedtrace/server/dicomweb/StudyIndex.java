package io.seedtrace.server.dicomweb;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.spool.InstanceRecord;
import io.seedtrace.server.database.SchemaStatements;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The studies, series and instances the DICOM node holds, kept in the database for QIDO-RS and
 * WADO-RS so that neither rescans the spool nor reads stored headers per request: one row per
 * series in {@code st_dicom_series} with the attributes QIDO-RS matches and returns (read from the
 * header of the series' first instance, once, when the series arrives) and one row per instance in
 * {@code st_dicom_instance} (its file). Filled as each instance becomes durable, by C-STORE or
 * STOW-RS ({@link #stored}); at start, whatever the spool holds that the tables lack is added
 * ({@link #catchUp}), so an empty table is rebuilt from the spool and instances put in place by
 * the spool's own recovery are not missed.
 */
final class StudyIndex {

  private static final Logger LOG = LoggerFactory.getLogger(StudyIndex.class);
  /** The largest header read from a stored file. */
  private static final int MAX_HEADER = 1 << 20;
  private static final int TEXT = 400;
  private static final String SERIES_COLUMNS = "study_uid, series_uid, patient_id, patient_name, accession,"
      + " study_date, study_time, study_description, referring_physician, study_id, modality, series_description,"
      + " series_number, instances";

  /** A series as QIDO-RS sees it: its own attributes and those of its study (from the same header). */
  record Series(String studyUid, String seriesUid, String patientId, String patientName, String accession,
      String studyDate, String studyTime, String studyDescription, String referringPhysician, String studyId,
      String modality, String seriesDescription, String seriesNumber, int instances) {}

  /** A study: its series in index order; study attributes are those of its first series. */
  record Study(String studyUid, List<Series> series) {
    Series first() {
      return series.get(0);
    }

    int instanceCount() {
      return series.stream().mapToInt(Series::instances).sum();
    }

    Collection<String> modalities() {
      TreeSet<String> modalities = new TreeSet<>();
      series.forEach(s -> {
        if (!s.modality().isEmpty()) {
          modalities.add(s.modality());
        }
      });
      return modalities;
    }
  }

  private final JdbcTemplate jdbc;
  /** Receipt order of instances (WADO-RS sends a series in the order it was received). */
  private final AtomicLong receipts;

  StudyIndex(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
    SchemaStatements.run(jdbc,
        "CREATE TABLE IF NOT EXISTS st_dicom_series (series_uid VARCHAR(64) PRIMARY KEY, study_uid VARCHAR(64) NOT NULL,"
        + " patient_id VARCHAR(400), patient_name VARCHAR(400), accession VARCHAR(400), study_date VARCHAR(400),"
        + " study_time VARCHAR(400), study_description VARCHAR(400), referring_physician VARCHAR(400),"
        + " study_id VARCHAR(400), modality VARCHAR(400), series_description VARCHAR(400), series_number VARCHAR(400),"
        + " instances INT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS st_dicom_series_by_study ON st_dicom_series (study_uid)",
        "CREATE TABLE IF NOT EXISTS st_dicom_instance (sop_uid VARCHAR(64) PRIMARY KEY, study_uid VARCHAR(64) NOT NULL,"
        + " series_uid VARCHAR(64) NOT NULL, sop_class VARCHAR(64) NOT NULL, instance_number INT,"
        + " path VARCHAR(1000) NOT NULL, received BIGINT NOT NULL)",
        "CREATE INDEX IF NOT EXISTS st_dicom_instance_by_series ON st_dicom_instance (study_uid, series_uid)");
    Long last = jdbc.queryForObject("SELECT COALESCE(MAX(received), 0) FROM st_dicom_instance", Long.class);
    this.receipts = new AtomicLong(last == null ? 0 : last);
  }

  /** Adds what the spool holds and the tables lack (everything, when they are empty). */
  void catchUp(List<InstanceRecord> spooled) {
    Set<String> known = new HashSet<>(jdbc.queryForList("SELECT sop_uid FROM st_dicom_instance", String.class));
    int added = 0;
    for (InstanceRecord r : spooled) {
      if (!known.contains(r.sopInstanceUid())) {
        stored(r);
        added++;
      }
    }
    if (added > 0) {
      LOG.info("DICOMweb study index: added {} instances the spool holds ({} known before)", added, known.size());
    }
  }

  /** Records a durably stored instance (again: its file moves to the latest receipt). */
  void stored(InstanceRecord r) {
    String path = r.path().toString();
    long receipt = receipts.incrementAndGet();
    Integer number = r.instanceNumber().isPresent() ? r.instanceNumber().getAsInt() : null;
    if (jdbc.update("UPDATE st_dicom_instance SET path = ?, study_uid = ?, series_uid = ?, sop_class = ?,"
        + " instance_number = ?, received = ? WHERE sop_uid = ?", path, r.studyUid(), r.seriesUid(), r.sopClassUid(),
        number, receipt, r.sopInstanceUid()) == 0) {
      try {
        jdbc.update("INSERT INTO st_dicom_instance (sop_uid, study_uid, series_uid, sop_class, instance_number, path,"
            + " received) VALUES (?, ?, ?, ?, ?, ?, ?)", r.sopInstanceUid(), r.studyUid(), r.seriesUid(), r.sopClassUid(),
            number, path, receipt);
      } catch (DuplicateKeyException raced) {
        jdbc.update("UPDATE st_dicom_instance SET path = ?, received = ? WHERE sop_uid = ?", path, receipt,
            r.sopInstanceUid());
      }
    }
    Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM st_dicom_series WHERE series_uid = ?", Integer.class,
        r.seriesUid());
    if (rows == null || rows == 0) {
      insertSeries(r, header(r.path()));
    }
    jdbc.update("UPDATE st_dicom_series SET instances = (SELECT COUNT(*) FROM st_dicom_instance WHERE series_uid = ?)"
        + " WHERE series_uid = ?", r.seriesUid(), r.seriesUid());
  }

  private void insertSeries(InstanceRecord r, DataSet h) {
    try {
      jdbc.update("INSERT INTO st_dicom_series (" + SERIES_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
          r.studyUid(), r.seriesUid(), cut(r.patientId()), cut(h.getString(Tag.PatientName, "")),
          cut(r.accessionNumber()), cut(h.getString(Tag.StudyDate, "")), cut(h.getString(Tag.StudyTime, "")),
          cut(h.getString(Tag.StudyDescription, "")), cut(h.getString(Tag.ReferringPhysicianName, "")),
          cut(h.getString(Tag.StudyID, "")), cut(r.modality()), cut(h.getString(Tag.SeriesDescription, "")),
          cut(h.getString(Tag.SeriesNumber, "")));
    } catch (DuplicateKeyException raced) {
      // the series arrived by another path at the same time: its row is there
    }
  }

  /** Adds series rows as they would be for generated data (tests and benchmarks of the index's cost). */
  void insertSeries(Series s) {
    jdbc.update("INSERT INTO st_dicom_series (" + SERIES_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.studyUid(), s.seriesUid(), s.patientId(), s.patientName(), s.accession(), s.studyDate(), s.studyTime(),
        s.studyDescription(), s.referringPhysician(), s.studyId(), s.modality(), s.seriesDescription(),
        s.seriesNumber(), s.instances());
  }

  /** Every series, or those of one study, ordered by study and series UID. */
  List<Series> series(String studyUid) {
    String sql = "SELECT " + SERIES_COLUMNS + " FROM st_dicom_series"
        + (studyUid == null ? "" : " WHERE study_uid = ?") + " ORDER BY study_uid, series_uid";
    Object[] args = studyUid == null ? new Object[0] : new Object[] {studyUid};
    return jdbc.query(sql, (rs, i) -> new Series(rs.getString(1), rs.getString(2), text(rs.getString(3)),
        text(rs.getString(4)), text(rs.getString(5)), text(rs.getString(6)), text(rs.getString(7)),
        text(rs.getString(8)), text(rs.getString(9)), text(rs.getString(10)), text(rs.getString(11)),
        text(rs.getString(12)), text(rs.getString(13)), rs.getInt(14)), args);
  }

  /** The series grouped by study, in order. */
  static List<Study> studies(List<Series> series) {
    Map<String, List<Series>> grouped = new LinkedHashMap<>();
    series.forEach(s -> grouped.computeIfAbsent(s.studyUid(), k -> new ArrayList<>()).add(s));
    List<Study> studies = new ArrayList<>();
    grouped.forEach((uid, list) -> studies.add(new Study(uid, List.copyOf(list))));
    return studies;
  }

  /** An instance of the index: enough to send its file and to say whose it is. */
  record Instance(String studyUid, String seriesUid, String sopUid, Path path, String patientId, String sopClass,
      Integer instanceNumber) {}

  /** The instances of a study, series ({@code series} not null) or one instance ({@code sop} not null), in receipt order. */
  List<Instance> instances(String study, String series, String sop) {
    StringBuilder sql = new StringBuilder("SELECT i.study_uid, i.series_uid, i.sop_uid, i.path, s.patient_id,"
        + " i.sop_class, i.instance_number"
        + " FROM st_dicom_instance i LEFT JOIN st_dicom_series s ON s.series_uid = i.series_uid WHERE i.study_uid = ?");
    List<Object> args = new ArrayList<>(List.of(study));
    if (series != null) {
      sql.append(" AND i.series_uid = ?");
      args.add(series);
    }
    if (sop != null) {
      sql.append(" AND i.sop_uid = ?");
      args.add(sop);
    }
    sql.append(" ORDER BY i.received");
    return jdbc.query(sql.toString(), (rs, i) -> new Instance(rs.getString(1), rs.getString(2), rs.getString(3),
        Path.of(rs.getString(4)), text(rs.getString(5)), rs.getString(6), (Integer) rs.getObject(7)), args.toArray());
  }

  /** The stored file's header; empty when it cannot be read (gone meanwhile, or unreadable). */
  private static DataSet header(Path file) {
    try {
      return Part10.readHeader(file, MAX_HEADER);
    } catch (IOException | DicomFormatException e) {
      return new DataSet();
    }
  }

  private static String cut(String value) {
    return value == null ? "" : value.length() > TEXT ? value.substring(0, TEXT) : value;
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }
}
