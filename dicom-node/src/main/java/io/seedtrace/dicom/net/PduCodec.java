package io.seedtrace.dicom.net;

import io.seedtrace.dicom.net.Pdu.AcceptedContext;
import io.seedtrace.dicom.net.Pdu.ProposedContext;
import io.seedtrace.dicom.net.Pdu.UserInfo;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes PDUs (PS3.8 section 9.3). Decoding reads the 6-byte header, refuses a PDU
 * longer than the limit before reading its body, and checks every item length against what is
 * left, so a hostile peer cannot make us allocate or wait for more than the limit.
 */
public final class PduCodec {

  /** Reason codes of A-ABORT from the service provider. */
  static final int UNRECOGNIZED_PDU = 1;
  static final int UNEXPECTED_PDU = 2;
  static final int INVALID_PARAMETER = 6;

  private PduCodec() {}

  /**
   * Reads one PDU.
   *
   * @param maxLength largest PDU body accepted (our max receive length plus headroom)
   * @throws EOFException if the stream ends before or inside a PDU
   * @throws PduFormatException if the PDU is malformed or too long
   */
  public static Pdu read(InputStream in, long maxLength) throws IOException, PduFormatException {
    byte[] header = readFully(in, 6, true);
    int type = header[0] & 0xFF;
    long length = ((header[2] & 0xFFL) << 24) | ((header[3] & 0xFFL) << 16) | ((header[4] & 0xFFL) << 8) | (header[5] & 0xFFL);
    if (type < Pdu.A_ASSOCIATE_RQ || type > Pdu.A_ABORT) {
      throw new PduFormatException(UNRECOGNIZED_PDU, "Unrecognized PDU type 0x" + Integer.toHexString(type));
    }
    if (length > maxLength) {
      throw new PduFormatException(INVALID_PARAMETER, "PDU of " + length + " bytes exceeds the limit of " + maxLength);
    }
    byte[] body = readFully(in, (int) length, false);
    return decode(type, ByteBuffer.wrap(body));
  }

  static byte[] readFully(InputStream in, int n, boolean atBoundary) throws IOException {
    byte[] b = new byte[n];
    int off = 0;
    while (off < n) {
      int r = in.read(b, off, n - off);
      if (r < 0) {
        throw new EOFException(atBoundary && off == 0 ? "connection closed" : "connection closed inside a PDU");
      }
      off += r;
    }
    return b;
  }

  static Pdu decode(int type, ByteBuffer b) throws PduFormatException {
    try {
      return switch (type) {
        case Pdu.A_ASSOCIATE_RQ, Pdu.A_ASSOCIATE_AC -> decodeAssociate(type, b);
        case Pdu.A_ASSOCIATE_RJ -> {
          need(b, 4);
          b.get();
          yield new Pdu.AssociateRj(b.get() & 0xFF, b.get() & 0xFF, b.get() & 0xFF);
        }
        case Pdu.P_DATA_TF -> decodePData(b);
        case Pdu.A_RELEASE_RQ -> {
          need(b, 4);
          yield new Pdu.ReleaseRq();
        }
        case Pdu.A_RELEASE_RP -> {
          need(b, 4);
          yield new Pdu.ReleaseRp();
        }
        default -> {
          need(b, 4);
          b.get();
          b.get();
          yield new Pdu.Abort(b.get() & 0xFF, b.get() & 0xFF);
        }
      };
    } catch (java.nio.BufferUnderflowException e) {
      throw new PduFormatException(INVALID_PARAMETER, "PDU type " + type + " is shorter than its fields");
    }
  }

  private static void need(ByteBuffer b, int n) throws PduFormatException {
    if (b.remaining() < n) {
      throw new PduFormatException(INVALID_PARAMETER, "PDU item needs " + n + " bytes, " + b.remaining() + " left");
    }
  }

  private static Pdu decodePData(ByteBuffer b) throws PduFormatException {
    List<Pdu.Pdv> pdvs = new ArrayList<>();
    while (b.hasRemaining()) {
      need(b, 6);
      long len = b.getInt() & 0xFFFFFFFFL;
      if (len < 2 || len > b.remaining()) {
        throw new PduFormatException(INVALID_PARAMETER, "PDV length " + len + " does not fit the PDU");
      }
      int contextId = b.get() & 0xFF;
      int control = b.get() & 0xFF;
      byte[] data = new byte[(int) len - 2];
      b.get(data);
      pdvs.add(new Pdu.Pdv(contextId, (control & 0x01) != 0, (control & 0x02) != 0, data));
    }
    if (pdvs.isEmpty()) {
      throw new PduFormatException(INVALID_PARAMETER, "P-DATA-TF without a PDV");
    }
    return new Pdu.PDataTf(pdvs);
  }

  private static Pdu decodeAssociate(int type, ByteBuffer b) throws PduFormatException {
    need(b, 68);
    int version = b.getShort() & 0xFFFF;
    if ((version & 0x0001) == 0) {
      throw new PduFormatException(INVALID_PARAMETER, "Protocol version 1 not offered");
    }
    b.getShort();
    String called = ae(b);
    String calling = ae(b);
    b.position(b.position() + 32);
    String appContext = null;
    List<ProposedContext> proposed = new ArrayList<>();
    List<AcceptedContext> accepted = new ArrayList<>();
    UserInfo user = new UserInfo(0, "", "", 1, 1);
    while (b.hasRemaining()) {
      Item item = nextItem(b);
      switch (item.type()) {
        case 0x10 -> appContext = ascii(item.value());
        case 0x20 -> proposed.add(proposedContext(item.value()));
        case 0x21 -> accepted.add(acceptedContext(item.value()));
        case 0x50 -> user = userInfo(item.value());
        default -> throw new PduFormatException(4, "Unrecognized item 0x" + Integer.toHexString(item.type())
            + " in A-ASSOCIATE");
      }
    }
    if (appContext == null) {
      throw new PduFormatException(INVALID_PARAMETER, "A-ASSOCIATE without an application context");
    }
    return type == Pdu.A_ASSOCIATE_RQ
        ? new Pdu.AssociateRq(called, calling, appContext, proposed, user)
        : new Pdu.AssociateAc(called, calling, appContext, accepted, user);
  }

  private static ProposedContext proposedContext(ByteBuffer item) throws PduFormatException {
    need(item, 4);
    int id = item.get() & 0xFF;
    item.position(item.position() + 3);
    String abstractSyntax = null;
    List<String> transferSyntaxes = new ArrayList<>();
    while (item.hasRemaining()) {
      Item sub = nextItem(item);
      String uid = ascii(sub.value());
      if (sub.type() == 0x30) {
        abstractSyntax = uid;
      } else if (sub.type() == 0x40) {
        transferSyntaxes.add(uid);
      } else {
        throw new PduFormatException(4, "Unrecognized sub-item 0x" + Integer.toHexString(sub.type())
            + " in a presentation context");
      }
    }
    if (abstractSyntax == null || transferSyntaxes.isEmpty()) {
      throw new PduFormatException(INVALID_PARAMETER, "Presentation context " + id + " lacks an abstract or transfer syntax");
    }
    return new ProposedContext(id, abstractSyntax, transferSyntaxes);
  }

  private static AcceptedContext acceptedContext(ByteBuffer item) throws PduFormatException {
    need(item, 4);
    int id = item.get() & 0xFF;
    item.get();
    int result = item.get() & 0xFF;
    item.get();
    String ts = "";
    while (item.hasRemaining()) {
      Item sub = nextItem(item);
      if (sub.type() == 0x40) {
        ts = ascii(sub.value());
      }
    }
    return new AcceptedContext(id, result, ts);
  }

  private static UserInfo userInfo(ByteBuffer item) throws PduFormatException {
    long maxLength = 0;
    String implClass = "";
    String implVersion = "";
    int invoked = 1;
    int performed = 1;
    List<Pdu.RoleSelection> roles = new ArrayList<>();
    while (item.hasRemaining()) {
      Item sub = nextItem(item);
      ByteBuffer value = sub.value();
      int len = value.remaining();
      switch (sub.type()) {
        case 0x51 -> {
          need(value, 4);
          maxLength = value.getInt() & 0xFFFFFFFFL;
        }
        case 0x52 -> implClass = ascii(value, len);
        case 0x53 -> {
          need(value, 4);
          invoked = value.getShort() & 0xFFFF;
          performed = value.getShort() & 0xFFFF;
        }
        case 0x55 -> implVersion = ascii(value, len);
        case 0x54 -> roles.add(roleSelection(value, len));
        default -> {
          // extended negotiation, user identity: not negotiated here.
        }
      }
    }
    return new UserInfo(maxLength, implClass, implVersion, invoked, performed, roles);
  }

  private static Pdu.RoleSelection roleSelection(ByteBuffer value, int len) throws PduFormatException {
    need(value, 2);
    int uidLength = value.getShort() & 0xFFFF;
    if (uidLength + 4 != len) {
      throw new PduFormatException(INVALID_PARAMETER, "SCP/SCU role selection of " + len + " bytes holds a UID of "
          + uidLength);
    }
    String uid = ascii(value, uidLength);
    return new Pdu.RoleSelection(uid, value.get() == 1, value.get() == 1);
  }

  /** An item or sub-item of an A-ASSOCIATE PDU: its type and its value (PS3.8 9.3). */
  private record Item(int type, ByteBuffer value) {}

  /** Reads the next item's header and moves {@code b} past its value, which is returned as a slice. */
  private static Item nextItem(ByteBuffer b) throws PduFormatException {
    need(b, 4);
    int type = b.get() & 0xFF;
    b.get();
    int len = b.getShort() & 0xFFFF;
    need(b, len);
    ByteBuffer value = b.slice(b.position(), len);
    b.position(b.position() + len);
    return new Item(type, value);
  }

  private static String ascii(ByteBuffer b) {
    return ascii(b, b.remaining());
  }

  private static String ae(ByteBuffer b) {
    byte[] raw = new byte[16];
    b.get(raw);
    return new String(raw, StandardCharsets.US_ASCII).trim();
  }

  private static String ascii(ByteBuffer b, int len) {
    byte[] raw = new byte[len];
    b.get(raw);
    int end = len;
    while (end > 0 && (raw[end - 1] == 0 || raw[end - 1] == ' ')) {
      end--;
    }
    return new String(raw, 0, end, StandardCharsets.US_ASCII);
  }

  // ------------------------------------------------------------------ encoding

  public static byte[] encode(Pdu pdu) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int type;
    if (pdu instanceof Pdu.AssociateRq rq) {
      {
        type = Pdu.A_ASSOCIATE_RQ;
        associateHeader(body, rq.calledAe(), rq.callingAe());
        item(body, 0x10, ascii(rq.applicationContext()));
        for (ProposedContext pc : rq.contexts()) {
          ByteArrayOutputStream v = new ByteArrayOutputStream();
          v.write(pc.id());
          v.writeBytes(new byte[3]);
          item(v, 0x30, ascii(pc.abstractSyntax()));
          for (String ts : pc.transferSyntaxes()) {
            item(v, 0x40, ascii(ts));
          }
          item(body, 0x20, v.toByteArray());
        }
        item(body, 0x50, userInfo(rq.userInfo()));
      }
    } else if (pdu instanceof Pdu.AssociateAc ac) {
      {
        type = Pdu.A_ASSOCIATE_AC;
        associateHeader(body, ac.calledAe(), ac.callingAe());
        item(body, 0x10, ascii(ac.applicationContext()));
        for (AcceptedContext pc : ac.contexts()) {
          ByteArrayOutputStream v = new ByteArrayOutputStream();
          v.write(pc.id());
          v.write(0);
          v.write(pc.result());
          v.write(0);
          item(v, 0x40, ascii(pc.transferSyntax() == null ? "" : pc.transferSyntax()));
          item(body, 0x21, v.toByteArray());
        }
        item(body, 0x50, userInfo(ac.userInfo()));
      }
    } else if (pdu instanceof Pdu.AssociateRj rj) {
      {
        type = Pdu.A_ASSOCIATE_RJ;
        body.writeBytes(new byte[] {0, (byte) rj.result(), (byte) rj.source(), (byte) rj.reason()});
      }
    } else if (pdu instanceof Pdu.PDataTf p) {
      {
        type = Pdu.P_DATA_TF;
        for (Pdu.Pdv pdv : p.pdvs()) {
          int len = pdv.data().length + 2;
          body.writeBytes(new byte[] {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len});
          body.write(pdv.contextId());
          body.write((pdv.command() ? 1 : 0) | (pdv.last() ? 2 : 0));
          body.writeBytes(pdv.data());
        }
      }
    } else if (pdu instanceof Pdu.ReleaseRq) {
      type = Pdu.A_RELEASE_RQ;
      body.writeBytes(new byte[4]);
    } else if (pdu instanceof Pdu.ReleaseRp) {
      type = Pdu.A_RELEASE_RP;
      body.writeBytes(new byte[4]);
    } else {
      Pdu.Abort a = (Pdu.Abort) pdu;
      type = Pdu.A_ABORT;
      body.writeBytes(new byte[] {0, 0, (byte) a.source(), (byte) a.reason()});
    }
    byte[] b = body.toByteArray();
    ByteBuffer out = ByteBuffer.allocate(6 + b.length);
    out.put((byte) type).put((byte) 0).putInt(b.length).put(b);
    return out.array();
  }

  private static void associateHeader(ByteArrayOutputStream body, String called, String calling) {
    body.writeBytes(new byte[] {0, 1, 0, 0});
    body.writeBytes(aeField(called));
    body.writeBytes(aeField(calling));
    body.writeBytes(new byte[32]);
  }

  private static byte[] aeField(String ae) {
    byte[] out = new byte[16];
    java.util.Arrays.fill(out, (byte) ' ');
    byte[] raw = ae.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(raw, 0, out, 0, Math.min(16, raw.length));
    return out;
  }

  private static byte[] userInfo(UserInfo u) {
    ByteArrayOutputStream v = new ByteArrayOutputStream();
    long max = u.maxPduLength();
    item(v, 0x51, new byte[] {(byte) (max >>> 24), (byte) (max >>> 16), (byte) (max >>> 8), (byte) max});
    item(v, 0x52, ascii(u.implementationClassUid()));
    item(v, 0x53, new byte[] {(byte) (u.maxOpsInvoked() >>> 8), (byte) u.maxOpsInvoked(),
        (byte) (u.maxOpsPerformed() >>> 8), (byte) u.maxOpsPerformed()});
    for (Pdu.RoleSelection r : u.roles()) {
      byte[] uid = ascii(r.sopClassUid());
      ByteArrayOutputStream role = new ByteArrayOutputStream();
      role.write(uid.length >>> 8);
      role.write(uid.length);
      role.writeBytes(uid);
      role.write(r.scu() ? 1 : 0);
      role.write(r.scp() ? 1 : 0);
      item(v, 0x54, role.toByteArray());
    }
    if (!u.implementationVersion().isEmpty()) {
      item(v, 0x55, ascii(u.implementationVersion()));
    }
    return v.toByteArray();
  }

  private static void item(ByteArrayOutputStream out, int type, byte[] value) {
    out.write(type);
    out.write(0);
    out.write(value.length >>> 8);
    out.write(value.length);
    out.writeBytes(value);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
