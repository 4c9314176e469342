package io.seedtrace.server.cli;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.seedtrace.core.chip.ChipPayloadCodec;
import io.seedtrace.core.chip.InitialBlock;
import io.seedtrace.detection.CtScan;
import io.seedtrace.detection.phantom.Phantom;
import io.seedtrace.detection.phantom.PhantomGenerator;
import io.seedtrace.detection.phantom.PhantomSpec;
import io.seedtrace.dicom.NodeConfig;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.net.StoreScu;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hl7.fhir.r4.model.Base64BinaryType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DeviceDefinition;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.SupplyDelivery;
import org.hl7.fhir.r4.model.SupplyRequest;

/**
 * {@code seedtrace demo}: plays the whole story against a running server with the development
 * clients of the embedded issuer: a manufacturer and a licensed hospital are registered, a seed
 * order is placed, a signed chip is read at receipt, the cartridge is assembled (2 surplus seeds
 * removed), 18 seeds are implanted with a plan, the cartridge is sealed, and a generated
 * post-operative CT in which one seed is missing is pushed over DICOM. The demo plays the EHR too:
 * it listens on {@code --ehr-port} and prints what arrives. Options: {@code --server}
 * (http://localhost:8080), {@code --dicom-host}/{@code --dicom-port} (localhost/11112),
 * {@code --ehr-port} (8090), {@code --timeout-s} (120). Exit 0 when the report arrived, 1 otherwise.
 */
public final class DemoCommand {

  private static final String SD = "https://seedtrace.io/fhir/StructureDefinition/";
  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private final PrintStream out;
  private final String server;
  private final Map<String, IGenericClient> clients = new HashMap<>();
  private final String tag = UUID.randomUUID().toString().substring(0, 6).toUpperCase(Locale.ROOT);

  private DemoCommand(String server, PrintStream out) {
    this.server = server;
    this.out = out;
  }

  private static final String USAGE = "usage: seedtrace demo [--server URL] [--dicom-host H] [--dicom-port P]"
      + " [--ehr-port P] [--timeout-s S]\n"
      + "Plays the README's story against a running server (default http://localhost:8080, DICOM port 11112):"
      + " orders, ships, receives, implants and seals a cartridge, pushes a post-implant CT and waits for the"
      + " report at a demo EHR on --ehr-port (8090). Exit codes: 0 done, 2 usage, 3 failed.";
  private static final java.util.Set<String> OPTIONS = java.util.Set.of("server", "dicom-host", "dicom-port",
      "ehr-port", "timeout-s");

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.stream().anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
      out.println(USAGE);
      return 0;
    }
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i < args.size(); i += 2) {
      String name = args.get(i).startsWith("--") ? args.get(i).substring(2) : "";
      if (!OPTIONS.contains(name) || i + 1 >= args.size()) {
        err.println(OPTIONS.contains(name) ? "missing value for " + args.get(i) : "unknown option: " + args.get(i));
        err.println(USAGE);
        return 2;
      }
      opts.put(name, args.get(i + 1));
    }
    try {
      return new DemoCommand(opts.getOrDefault("server", "http://localhost:8080"), out).play(
          opts.getOrDefault("dicom-host", "localhost"), Integer.parseInt(opts.getOrDefault("dicom-port", "11112")),
          Integer.parseInt(opts.getOrDefault("ehr-port", "8090")),
          Integer.parseInt(opts.getOrDefault("timeout-s", "120")));
    } catch (java.net.ConnectException e) {
      err.println("cannot reach the server: " + e.getMessage() + " (is it running? see README)");
      return 3;
    } catch (Exception e) {
      err.println("demo failed: " + e);
      return 3;
    }
  }

  private int play(String dicomHost, int dicomPort, int ehrPort, int timeoutS) throws Exception {
    List<Bundle> received = new CopyOnWriteArrayList<>();
    HttpServer ehr = HttpServer.create(new InetSocketAddress("127.0.0.1", ehrPort), 0);
    ehr.createContext("/fhir", exchange -> {
      try (exchange) {
        Bundle b = FHIR.newJsonParser().parseResource(Bundle.class, exchange.getRequestBody());
        received.add(b);
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        b.getEntry().forEach(e -> response.addEntry().getResponse().setStatus("201 Created")
            .setLocation(e.getResource().fhirType() + "/" + UUID.randomUUID()));
        byte[] body = FHIR.newJsonParser().encodeResourceToString(response).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    ehr.start();
    try {
      return story(dicomHost, dicomPort, ehrPort, timeoutS, received);
    } finally {
      ehr.stop(0);
    }
  }

  private int story(String dicomHost, int dicomPort, int ehrPort, int timeoutS, List<Bundle> received)
      throws Exception {
    out.println("SeedTrace demo " + tag + " against " + server + " (the demo's EHR listens on http://127.0.0.1:"
        + ehrPort + "/fhir)");
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair factoryKey = g.generateKeyPair();
    String kid = "DEMO-MFR-" + tag;

    step("admin", "registers the manufacturer (with its chip-signing key), the hospital (with its licence), the hot lab");
    Organization maker = new Organization().setName("Demo Isotope Works").setActive(true);
    maker.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/chip-signing-key").setValue(kid);
    Extension key = maker.addExtension().setUrl(SD + "chip-signing-key");
    key.addExtension("kid", new StringType(kid));
    key.addExtension("publicKey", new Base64BinaryType(factoryKey.getPublic().getEncoded()));
    String makerId = create("admin", maker);
    Organization hospital = new Organization().setName("Demo General Hospital").setActive(true);
    Extension licence = hospital.addExtension().setUrl(SD + "radioactive-material-licence");
    licence.addExtension("number", new StringType("RML-DEMO-" + tag));
    licence.addExtension("period", new Period().setStart(Date.from(Instant.now().minus(30, ChronoUnit.DAYS)))
        .setEnd(Date.from(Instant.now().plus(365, ChronoUnit.DAYS))));
    licence.addExtension("maxActivity", mbq(2000));
    String hospitalId = create("admin", hospital);
    Location lab = new Location().setName("Hot lab").setManagingOrganization(new Reference(hospitalId));
    lab.getAddress().addLine("1 Hospital Road").setCity("Example City");
    String labId = create("admin", lab);
    DeviceDefinition product = new DeviceDefinition();
    product.getMeta().addProfile(SD + "seed-product");
    product.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/product").setValue("I125-6711-" + tag);
    product.setManufacturer(new Reference(makerId));
    product.addDeviceName().setName("I-125 titanium seed").setType(DeviceDefinition.DeviceNameType.MANUFACTURERNAME);
    product.setModelNumber("6711");
    product.getType().addCoding().setSystem("http://snomed.info/sct").setCode("1254766006");
    product.addMaterial().getSubstance().setText("Iodine-125");
    String productId = create("admin", product);

    step("physician", "orders 20 seeds, 296 MBq (checked against the licence)");
    SupplyRequest order = new SupplyRequest();
    order.getMeta().addProfile(SD + "seed-order");
    order.addExtension(SD + "requested-total-activity", mbq(296));
    order.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/order").setValue("ORD-DEMO-" + tag);
    order.setStatus(SupplyRequest.SupplyRequestStatus.DRAFT);
    // R4 SupplyRequest.item may reference only a Device, Medication or Substance: the product type as a
    // code, the product definition in the ordered-product extension
    order.setItem(new org.hl7.fhir.r4.model.CodeableConcept().setText("I-125 seed, model 6711")
        .addCoding(new org.hl7.fhir.r4.model.Coding("http://snomed.info/sct", "1254766006", "Loose radioactive seed")));
    order.addExtension(SD + "ordered-product", new Reference(productId));
    order.setQuantity(new Quantity().setValue(20).setUnit("seeds").setSystem("http://unitsofmeasure.org").setCode("{seeds}"));
    order.setOccurrence(new DateTimeType(new Date()));
    order.setAuthoredOn(new Date());
    order.setRequester(new Reference(hospitalId));
    order.addSupplier(new Reference(makerId));
    order.setDeliverTo(new Reference(labId));
    String orderId = create("physician", order);

    String serial = "CART-DEMO-" + tag;
    step("manufacturer", "writes the chip of cartridge " + serial + " and ships it");
    byte[] chip = ChipPayloadCodec.encode(new InitialBlock(serial, Optional.empty(), "Demo Isotope Works",
        "I-125 titanium seed", "6711", 20, 296_000, Instant.now().minus(2, ChronoUnit.DAYS), 14_800, "LOT-" + tag,
        LocalDate.now().plusDays(90)), kid.getBytes(StandardCharsets.UTF_8), factoryKey.getPrivate());
    SupplyDelivery shipment = new SupplyDelivery();
    shipment.getMeta().addProfile(SD + "seed-shipment");
    shipment.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/shipment").setValue("SHP-DEMO-" + tag);
    shipment.addBasedOn(new Reference(orderId));
    shipment.setStatus(SupplyDelivery.SupplyDeliveryStatus.INPROGRESS);
    shipment.getSuppliedItem().setQuantity(new Quantity().setValue(1).setUnit("cartridge"));
    shipment.getSuppliedItem().setItem(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier()
        .setSystem("https://seedtrace.io/fhir/sid/cartridge-serial").setValue(serial)));
    shipment.setSupplier(new Reference(makerId));
    shipment.setDestination(new Reference(labId));
    create("manufacturer", shipment);

    step("nurse", "reads the chip at receipt (" + chip.length + " bytes): $chip-read");
    Parameters read = new Parameters();
    read.addParameter().setName("payload").setValue(new Base64BinaryType(chip));
    read.addParameter("reader", "DEMO-READER");
    Parameters receipt = client("nurse").operation().onType(Device.class).named("$chip-read").withParameters(read)
        .execute();
    String deviceId = ((Reference) receipt.getParameterValue("device")).getReference();
    out.println("    -> " + deviceId + ", shipped count L0 = 20");

    step("physicist", "assembles 18 seeds of 14.2 MBq +-5 % for tomorrow: $assemble");
    Parameters need = new Parameters();
    need.addParameter("model", "6711");
    need.addParameter().setName("activityPerSeed").setValue(mbq(14.2));
    need.addParameter().setName("tolerance").setValue(new DecimalType(0.05));
    need.addParameter().setName("seeds").setValue(new IntegerType(18));
    need.addParameter().setName("implantTime").setValue(new DateTimeType(Date.from(Instant.now().plus(1,
        ChronoUnit.DAYS))));
    Parameters assembled = client("physicist").operation().onInstance(new IdType(deviceId)).named("$assemble")
        .withParameters(need).execute();
    out.println("    -> " + assembled.getParameterValue("explanation").primitiveValue());

    String accession = "ACC-DEMO-" + tag;
    step("physician", "implants 18 seeds (accession " + accession + ") and attaches the plan");
    Patient patient = new Patient();
    patient.addIdentifier().setSystem("https://hospital.example/mrn").setValue("MRN-DEMO-" + tag);
    patient.addName().setFamily("Demo").addGiven("Patient");
    String patientId = create("physician", patient);
    Procedure implant = new Procedure();
    implant.getMeta().addProfile(SD + "seed-implant-procedure");
    implant.addExtension(SD + "seeds-loaded", new PositiveIntType(18));
    implant.addIdentifier().setSystem("https://seedtrace.io/fhir/sid/accession").setValue(accession).getType()
        .addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode("ACSN");
    implant.setStatus(Procedure.ProcedureStatus.COMPLETED);
    implant.getCode().addCoding().setSystem("http://snomed.info/sct").setCode("169359004")
        .setDisplay("Internal radiotherapy - permanent seeds");
    implant.setSubject(new Reference(patientId));
    implant.setPerformed(new DateTimeType(Date.from(Instant.now().minus(1, ChronoUnit.HOURS))));
    implant.addPerformer().getActor().setDisplay("Dr. Demo");
    implant.setLocation(new Reference(labId));
    implant.addFocalDevice().setManipulated(new Reference(deviceId));
    String procedureId = create("physician", implant);
    Phantom ct = PhantomGenerator.generate(new PhantomSpec(PhantomSpec.Anatomy.PROSTATE, 160, 160, 60, 0.7, 1.5, 17,
        0, 0, 0, true, false, 15, 7));
    List<double[]> plan = new ArrayList<>(ct.seeds().stream().map(Phantom.TruthSeed::centre).toList());
    double[] last = plan.get(plan.size() - 1);
    plan.add(new double[] {last[0] + 8, last[1] + 8, last[2]}); // planned, but it will not be on the CT
    String frame = uid();
    StringBuilder json = new StringBuilder("{\"frameOfReferenceUid\":\"" + frame + "\",\"seeds\":[");
    for (int i = 0; i < plan.size(); i++) {
      double[] p = plan.get(i);
      json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%.2f,%.2f,%.2f]", p[0], p[1], p[2]));
    }
    DocumentReference doc = new DocumentReference();
    doc.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
    doc.getType().setText("seed plan");
    doc.setSubject(new Reference(patientId));
    doc.getContext().addRelated(new Reference(procedureId));
    doc.addContent().getAttachment().setContentType("application/json")
        .setData(json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    create("physicist", doc);

    step("nurse", "seals the cartridge, 0 seeds remaining: $seal");
    Parameters seal = new Parameters();
    seal.addParameter("hospital", "Demo General Hospital");
    seal.addParameter("department", "Nuclear Medicine");
    seal.addParameter("doctor", "Dr. Demo");
    seal.addParameter("inpatientNumber", "IP-DEMO-" + tag);
    seal.addParameter("patientName", "Demo Patient");
    seal.addParameter("surgicalDepartment", "Urology");
    seal.addParameter().setName("surgeryTime").setValue(new DateTimeType(new Date()));
    seal.addParameter().setName("remainingCount").setValue(new IntegerType(0));
    Parameters sealed = client("nurse").operation().onInstance(new IdType(deviceId)).named("$seal")
        .withParameters(seal).execute();
    out.println("    -> trace key " + sealed.getParameterValue("traceKey").primitiveValue() + ", sealed chip "
        + sealed.getParameterValue("payloadBytes").primitiveValue() + " bytes");

    step("CT scanner", "pushes the post-operative CT (" + ct.scan().nz() + " slices, one seed missing) to "
        + dicomHost + ":" + dicomPort + " as AE DEMO");
    String series = sendCt(ct.scan(), dicomHost, dicomPort, "MRN-DEMO-" + tag, accession, frame);

    out.println("\nWaiting for the verification (quiet time, detection, matching) and the delivery to the EHR...");
    long deadline = System.nanoTime() + timeoutS * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (Bundle b : received) {
        Optional<DiagnosticReport> report = b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
            .filter(r -> r instanceof DiagnosticReport).map(r -> (DiagnosticReport) r)
            .filter(r -> r.getIdentifierFirstRep().getValue().startsWith("VER-" + series)).findFirst();
        if (report.isPresent()) {
          printReceived(b, report.get());
          return 0;
        }
      }
      Thread.sleep(200);
    }
    out.println("No report reached the demo's EHR within " + timeoutS + " s. Is the server configured with"
        + " --seedtrace.ehr.base-url=http://127.0.0.1:" + ehrPort + "/fhir ? The server's own copy:");
    Bundle reports = client("physician").search().forResource(DiagnosticReport.class)
        .where(DiagnosticReport.IDENTIFIER.exactly().systemAndCode("https://seedtrace.io/fhir/sid/verification",
            "VER-" + series + "-" + ct.scan().nz())).returnBundle(Bundle.class).execute();
    reports.getEntry().forEach(e -> out.println("  " + ((DiagnosticReport) e.getResource()).getConclusion()));
    return 1;
  }

  private void printReceived(Bundle b, DiagnosticReport report) {
    out.println("\nThe EHR received one transaction of " + b.getEntry().size() + " entries:");
    for (Bundle.BundleEntryComponent e : b.getEntry()) {
      Resource r = e.getResource();
      out.println("  " + e.getRequest().getMethod() + " " + r.fhirType() + (e.getRequest().hasIfNoneExist()
          ? "  (if none exist: " + e.getRequest().getIfNoneExist() + ")" : ""));
    }
    out.println("\nReport: " + report.getConclusion());
    b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(r -> r instanceof DetectedIssue)
        .forEach(r -> out.println("ALARM (" + ((DetectedIssue) r).getCode().getCodingFirstRep().getCode() + "): "
            + ((DetectedIssue) r).getDetail()));
  }

  private String sendCt(CtScan scan, String host, int port, String patientId, String accession, String frame)
      throws Exception {
    String series = uid();
    List<byte[]> files = CtSeriesFiles.files(scan, new CtSeriesFiles.Ids(patientId, "Demo^Patient", accession,
        LocalDate.now().format(DateTimeFormatter.BASIC_ISO_DATE), uid(), series, frame));
    try (StoreScu scu = StoreScu.open(host, port, "DEMO", "SEEDTRACE", List.of(new StoreScu.Proposal(
        NodeConfig.CT_IMAGE, List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid()))), 10_000)) {
      for (byte[] file : files) {
        int status = scu.store(file);
        if (status != 0) {
          throw new IllegalStateException("the DICOM node answered status 0x" + Integer.toHexString(status));
        }
      }
    } catch (java.io.IOException refused) {
      throw new IllegalStateException("the DICOM node refused the CT (" + refused.getMessage() + "); start the server"
          + " with --seedtrace.dicom.allowed-calling-ae-titles=DEMO --seedtrace.dicom.allowed-addresses=127.0.0.1",
          refused);
    }
    return series;
  }

  private void step(String role, String what) {
    out.printf("%n[%s] %s%n", role, what);
  }

  private String create(String role, Resource r) {
    return client(role).create().resource(r).execute().getId().toUnqualifiedVersionless().getValue();
  }

  private IGenericClient client(String role) {
    return clients.computeIfAbsent(role, r -> {
      FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
      // A server that has just started validates its first writes slowly (profiles loaded on first use; on a
      // busy machine this took over 10 s, HAPI's default read timeout, and the demo gave up).
      FHIR.getRestfulClientFactory().setSocketTimeout(120_000);
      IGenericClient c = FHIR.newRestfulGenericClient(server + "/fhir");
      c.registerInterceptor(new BearerTokenAuthInterceptor(token(r)));
      return c;
    });
  }

  private String token(String role) {
    try {
      String basic = Base64.getEncoder().encodeToString((role + "-cli:" + role + "-secret")
          .getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(server + "/oauth2/token")).header("Authorization", "Basic " + basic)
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("no token for the dev client " + role + "-cli (HTTP " + response.statusCode()
            + "): the demo needs the embedded issuer's development clients");
      }
      return new ObjectMapper().readTree(response.body()).get("access_token").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Quantity mbq(double v) {
    return new Quantity().setValue(v).setUnit("MBq").setSystem("http://unitsofmeasure.org").setCode("MBq");
  }

  private static String uid() {
    return CtSeriesFiles.uid();
  }
}
