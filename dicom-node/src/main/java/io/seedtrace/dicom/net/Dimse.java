package io.seedtrace.dicom.net;

import io.seedtrace.dicom.data.DataSet;
import io.seedtrace.dicom.data.DataSetReader;
import io.seedtrace.dicom.data.DataSetWriter;
import io.seedtrace.dicom.data.DicomFormatException;
import io.seedtrace.dicom.data.Tag;
import io.seedtrace.dicom.data.TransferSyntax;
import io.seedtrace.dicom.data.Vr;

/**
 * DIMSE command sets (PS3.7 section 9 and annex E): command field values, status codes, and
 * encoding of command sets, which are always implicit VR little endian with a group length.
 */
public final class Dimse {

  public static final int C_STORE_RQ = 0x0001;
  public static final int C_STORE_RSP = 0x8001;
  public static final int C_ECHO_RQ = 0x0030;
  public static final int C_ECHO_RSP = 0x8030;
  public static final int C_FIND_RQ = 0x0020;
  public static final int C_MOVE_RQ = 0x0021;
  public static final int C_CANCEL_RQ = 0x0FFF;
  public static final int NO_DATA_SET = 0x0101;
  /** Any value other than {@link #NO_DATA_SET} says a data set follows; this one is what we send. */
  public static final int DATA_SET_PRESENT = 0x0000;

  /** Status codes (PS3.7 annex C and B.2). */
  public static final int SUCCESS = 0x0000;
  public static final int WARNING_COERCION = 0xB000;
  public static final int OUT_OF_RESOURCES = 0xA700;
  public static final int DATA_SET_DOES_NOT_MATCH_SOP_CLASS = 0xA900;
  public static final int CANNOT_UNDERSTAND = 0xC000;
  public static final int SOP_CLASS_NOT_SUPPORTED = 0x0122;
  public static final int UNRECOGNIZED_OPERATION = 0x0211;
  public static final int PROCESSING_FAILURE = 0x0110;
  /** Query/Retrieve (PS3.4 C.4): a match or sub-operation follows; the operation was cancelled. */
  public static final int PENDING = 0xFF00;
  public static final int PENDING_WARNING = 0xFF01;
  public static final int CANCEL = 0xFE00;
  /** C-MOVE: some sub-operations failed or had warnings. */
  public static final int SUBOPERATIONS_WARNING = 0xB000;

  public static final String VERIFICATION_SOP_CLASS = "1.2.840.10008.1.1";

  private Dimse() {}

  public static byte[] encode(DataSet command) {
    command.remove(Tag.CommandGroupLength);
    byte[] body = DataSetWriter.toBytes(command, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    DataSet length = new DataSet().putUL(Tag.CommandGroupLength, body.length);
    byte[] head = DataSetWriter.toBytes(length, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    byte[] out = new byte[head.length + body.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(body, 0, out, head.length, body.length);
    return out;
  }

  public static DataSet decode(byte[] bytes) throws DicomFormatException {
    return DataSetReader.read(bytes, 0, bytes.length, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, 0);
  }

  public static DataSet echoRq(int messageId) {
    return new DataSet()
        .putString(Tag.AffectedSOPClassUID, Vr.UI, VERIFICATION_SOP_CLASS)
        .putUS(Tag.CommandField, C_ECHO_RQ)
        .putUS(Tag.MessageID, messageId)
        .putUS(Tag.CommandDataSetType, NO_DATA_SET);
  }

  public static DataSet storeRq(int messageId, String sopClass, String sopInstance) {
    return new DataSet()
        .putString(Tag.AffectedSOPClassUID, Vr.UI, sopClass)
        .putUS(Tag.CommandField, C_STORE_RQ)
        .putUS(Tag.MessageID, messageId)
        .putUS(Tag.Priority, 0)
        .putUS(Tag.CommandDataSetType, 0x0000)
        .putString(Tag.AffectedSOPInstanceUID, Vr.UI, sopInstance);
  }

  /** A C-FIND or C-MOVE request of a SOP class; its identifier is sent as the data set after it. */
  public static DataSet queryRetrieveRq(int commandField, int messageId, String sopClass) {
    return new DataSet()
        .putString(Tag.AffectedSOPClassUID, Vr.UI, sopClass)
        .putUS(Tag.CommandField, commandField)
        .putUS(Tag.MessageID, messageId)
        .putUS(Tag.Priority, 0)
        .putUS(Tag.CommandDataSetType, DATA_SET_PRESENT);
  }

  /** Asks the peer to stop the C-FIND or C-MOVE sent with {@code messageId}. */
  public static DataSet cancelRq(int messageId) {
    return new DataSet()
        .putUS(Tag.CommandField, C_CANCEL_RQ)
        .putUS(Tag.MessageIDBeingRespondedTo, messageId)
        .putUS(Tag.CommandDataSetType, NO_DATA_SET);
  }

  /** A response to {@code request} with {@code status}; an optional comment for failures. */
  public static DataSet response(DataSet request, int status, String errorComment) {
    int field = request.getInt(Tag.CommandField).orElse(0) | 0x8000;
    DataSet rsp = new DataSet();
    request.getString(Tag.AffectedSOPClassUID).ifPresent(v -> rsp.putString(Tag.AffectedSOPClassUID, Vr.UI, v));
    rsp.putUS(Tag.CommandField, field);
    rsp.putUS(Tag.MessageIDBeingRespondedTo, request.getInt(Tag.MessageID).orElse(0));
    rsp.putUS(Tag.CommandDataSetType, NO_DATA_SET);
    rsp.putUS(Tag.Status, status);
    request.getString(Tag.AffectedSOPInstanceUID).ifPresent(v -> rsp.putString(Tag.AffectedSOPInstanceUID, Vr.UI, v));
    if (errorComment != null && status != SUCCESS) {
      String comment = errorComment.length() > 64 ? errorComment.substring(0, 64) : errorComment;
      rsp.putString(Tag.ErrorComment, Vr.LO, comment);
    }
    return rsp;
  }

  public static boolean hasDataSet(DataSet command) {
    return command.getInt(Tag.CommandDataSetType).orElse(NO_DATA_SET) != NO_DATA_SET;
  }
}
