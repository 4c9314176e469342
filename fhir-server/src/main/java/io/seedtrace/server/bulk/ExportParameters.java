package io.seedtrace.server.bulk;

import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;

/** The parameters of an operation request by name: from the query, and for a POST also from its Parameters body. */
final class ExportParameters {

  private ExportParameters() {}

  static Map<String, List<String>> of(ServletRequestDetails request) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    request.getParameters().forEach((name, values) ->
        parameters.computeIfAbsent(name, n -> new ArrayList<>()).addAll(Arrays.asList(values)));
    if (request.getRequestType() == RequestTypeEnum.POST) {
      byte[] body = request.loadRequestContents();
      if (body != null && body.length > 0) {
        for (Parameters.ParametersParameterComponent parameter : parse(request, body).getParameter()) {
          List<String> values = parameters.computeIfAbsent(parameter.getName(), n -> new ArrayList<>());
          if (parameter.getValue() instanceof Reference reference) {
            values.add(reference.getReference());
          } else if (parameter.getValue() != null) {
            values.add(parameter.getValue().primitiveValue());
          }
        }
      }
    }
    return parameters;
  }

  /** A parameter given once in the query, or null; refused if given several times. */
  static String single(ServletRequestDetails request, String name) {
    String[] values = request.getParameters().get(name);
    if (values == null || values.length == 0) {
      return null;
    }
    if (values.length > 1) {
      throw new InvalidRequestException("the parameter " + name + " may be given once");
    }
    return values[0];
  }

  private static Parameters parse(ServletRequestDetails request, byte[] body) {
    EncodingEnum encoding = EncodingEnum.forContentType(request.getHeader("Content-Type"));
    try {
      return (encoding == null ? EncodingEnum.JSON : encoding).newParser(request.getFhirContext())
          .parseResource(Parameters.class, new String(body, java.nio.charset.StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("the body of a POST kick-off must be a Parameters resource");
    }
  }
}
