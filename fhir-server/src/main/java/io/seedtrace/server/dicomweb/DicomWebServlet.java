package io.seedtrace.server.dicomweb;

import io.seedtrace.server.security.http.OperationOutcomes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The DICOMweb resources (PS3.18) under {@code /dicomweb}:
 * <ul>
 *   <li>{@code POST /studies}, {@code POST /studies/{study}}: STOW-RS ({@link StowService});</li>
 *   <li>{@code GET /studies}, {@code /series}, {@code /instances}, {@code /studies/{study}/series},
 *       {@code /studies/{study}/instances}, {@code /studies/{study}/series/{series}/instances}: QIDO-RS
 *       ({@link QidoService});</li>
 *   <li>{@code GET /studies/{study}}, {@code .../series/{series}}, {@code .../instances/{sop}}: WADO-RS
 *       ({@link WadoService}), and the same followed by {@code /metadata}: their attributes as
 *       DICOM JSON, with {@code BulkDataURI}s of {@code .../instances/{sop}/bulkdata/{path}}: one
 *       binary value (bulk data).</li>
 * </ul>
 * Errors are OperationOutcomes, as everywhere on this server; 503 while the DICOM node is down.
 */
public class DicomWebServlet extends HttpServlet {

  private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");

  private final transient StowService stow;
  private final transient QidoService qido;
  private final transient WadoService wado;

  DicomWebServlet(StowService stow, QidoService qido, WadoService wado) {
    this.stow = stow;
    this.qido = qido;
    this.wado = wado;
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    List<String> path = segments(request);
    try {
      if (path.equals(List.of("studies"))) {
        stow.store(request, response, null);
      } else if (path.size() == 2 && path.get(0).equals("studies") && uids(path, 1)) {
        stow.store(request, response, path.get(1));
      } else {
        notFound(response, path);
      }
    } catch (IllegalStateException nodeDown) {
      OperationOutcomes.send(response, 503, "the DICOM node is not running");
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    List<String> path = segments(request);
    try {
      route(path, request, response);
    } catch (IllegalStateException nodeDown) {
      OperationOutcomes.send(response, 503, "the DICOM node is not running");
    }
  }

  private void route(List<String> path, HttpServletRequest request, HttpServletResponse response) throws IOException {
    int n = path.size();
    boolean studies = n >= 1 && path.get(0).equals("studies");
    if (path.equals(List.of("studies"))) {
      qido.studies(request, response);
    } else if (path.equals(List.of("series"))) {
      qido.series(request, response, null);
    } else if (path.equals(List.of("instances"))) {
      qido.instancesAcrossSeries(request, response, null);
    } else if (studies && n == 3 && path.get(2).equals("instances") && uids(path, 1)) {
      qido.instancesAcrossSeries(request, response, path.get(1));
    } else if (studies && n == 3 && path.get(2).equals("series") && uids(path, 1)) {
      qido.series(request, response, path.get(1));
    } else if (studies && n == 3 && path.get(2).equals("metadata") && uids(path, 1)) {
      wado.metadata(request, response, path.get(1), null, null);
    } else if (studies && n == 5 && path.get(2).equals("series") && path.get(4).equals("metadata") && uids(path, 1, 3)) {
      wado.metadata(request, response, path.get(1), path.get(3), null);
    } else if (studies && n == 7 && path.get(2).equals("series") && path.get(4).equals("instances")
        && path.get(6).equals("metadata") && uids(path, 1, 3, 5)) {
      wado.metadata(request, response, path.get(1), path.get(3), path.get(5));
    } else if (studies && n == 2 && uids(path, 1)) {
      wado.retrieve(request, response, path.get(1), null, null);
    } else if (studies && n == 4 && path.get(2).equals("series") && uids(path, 1, 3)) {
      wado.retrieve(request, response, path.get(1), path.get(3), null);
    } else if (studies && n == 5 && path.get(2).equals("series") && path.get(4).equals("instances")
        && uids(path, 1, 3)) {
      qido.instances(request, response, path.get(1), path.get(3));
    } else if (studies && n == 6 && path.get(2).equals("series") && path.get(4).equals("instances")
        && uids(path, 1, 3, 5)) {
      wado.retrieve(request, response, path.get(1), path.get(3), path.get(5));
    } else if (studies && n >= 8 && path.get(2).equals("series") && path.get(4).equals("instances")
        && path.get(6).equals("bulkdata") && uids(path, 1, 3, 5)) {
      wado.bulkData(request, response, path.get(1), path.get(3), path.get(5), String.join("/", path.subList(7, n)));
    } else {
      notFound(response, path);
    }
  }

  private static boolean uids(List<String> path, int... at) {
    for (int i : at) {
      String uid = path.get(i);
      if (uid.length() > 64 || !UID.matcher(uid).matches()) {
        return false;
      }
    }
    return true;
  }

  private static void notFound(HttpServletResponse response, List<String> path) throws IOException {
    OperationOutcomes.send(response, 404, "no DICOMweb resource at /dicomweb/" + String.join("/", path)
        + " (UIDs are digits and dots, at most 64 characters)");
  }

  private static List<String> segments(HttpServletRequest request) {
    String info = request.getPathInfo() == null ? "" : request.getPathInfo();
    return java.util.Arrays.stream(info.split("/")).filter(s -> !s.isEmpty()).toList();
  }
}
