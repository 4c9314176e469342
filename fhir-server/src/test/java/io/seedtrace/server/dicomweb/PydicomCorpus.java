package io.seedtrace.server.dicomweb;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The DICOM files of pydicom's test corpus, as python3 lists them; empty when pydicom is absent. */
final class PydicomCorpus {

  private PydicomCorpus() {}

  static List<Path> files() {
    try {
      Process p = new ProcessBuilder(debianPython(), "-c",
          "import pydicom.data\nfor f in pydicom.data.get_testdata_files('*.dcm'): print(f)")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        return List.of();
      }
      return out.lines().map(Path::of).filter(Files::isRegularFile).sorted().toList();
    } catch (Exception e) {
      return List.of();
    }
  }

  /**
   * Debian's Python, where the packaged pydicom lives ({@code python3-pydicom}); a {@code python3} first on
   * the PATH (pyenv, a virtualenv) often lacks it.
   */
  private static String debianPython() {
    return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
  }
}
