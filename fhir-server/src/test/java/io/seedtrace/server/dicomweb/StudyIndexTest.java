package io.seedtrace.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.Part10;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.spool.InstanceRecord;
import io.seedtrace.server.support.CtSeries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study index on a real H2 database, over generated Part 10 files on disk. */
class StudyIndexTest {

  @TempDir
  Path dir;

  private static JdbcDataSource database() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:study-index-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  private List<InstanceRecord> storedSeries(CtSeries series, int slices) throws Exception {
    Phantom p = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 32, 32, slices, 0.7, 1.5, 1,
        0, 0, 0, false, false, 15, 5));
    List<InstanceRecord> records = new ArrayList<>();
    int k = 0;
    for (byte[] file : series.files(p.scan())) {
      Path f = dir.resolve(series.seriesUid + "-" + k++ + ".dcm");
      Files.write(f, file);
      DataSet header = Part10.read(file).dataSet();
      records.add(new InstanceRecord(header.getString(Tag.StudyInstanceUID, ""),
          header.getString(Tag.SeriesInstanceUID, ""), header.getString(Tag.SOPInstanceUID, ""),
          header.getString(Tag.SOPClassUID, ""), header.getString(Tag.Modality, ""), header.getString(Tag.PatientID, ""),
          header.getString(Tag.AccessionNumber, ""), "", f, java.util.OptionalInt.empty(),
          java.util.OptionalDouble.empty()));
    }
    return records;
  }

  @Test
  void anEmptyIndexIsRebuiltFromTheSpoolOnceAndLaterInstancesAreAdded() throws Exception {
    JdbcDataSource db = database();
    CtSeries first = new CtSeries("PAT-1", "ACC-1", "20261207");
    List<InstanceRecord> spooled = storedSeries(first, 4);
    StudyIndex index = new StudyIndex(db);
    index.catchUp(spooled);
    index.catchUp(spooled); // a second start adds nothing

    assertThat(index.series(null)).singleElement().satisfies(s -> {
      assertThat(s.studyUid()).isEqualTo(first.studyUid);
      assertThat(s.patientId()).isEqualTo("PAT-1");
      assertThat(s.accession()).isEqualTo("ACC-1");
      assertThat(s.studyDate()).isEqualTo("20261207");
      assertThat(s.modality()).isEqualTo("CT");
      assertThat(s.instances()).isEqualTo(4);
    });
    CtSeries second = new CtSeries("PAT-2", "ACC-2", "20261208");
    storedSeries(second, 2).forEach(index::stored);
    // the tables outlive the index object (a restart): the rows are there, in receipt order
    StudyIndex restarted = new StudyIndex(db);
    assertThat(restarted.series(second.studyUid)).singleElement()
        .satisfies(s -> assertThat(s.instances()).isEqualTo(2));
    assertThat(restarted.instances(first.studyUid, first.seriesUid, null)).extracting(StudyIndex.Instance::path)
        .containsExactlyElementsOf(spooled.stream().map(InstanceRecord::path).toList());
    assertThat(restarted.instances(first.studyUid, second.seriesUid, null)).isEmpty();
  }
}
