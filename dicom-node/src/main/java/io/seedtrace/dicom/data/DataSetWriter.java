package io.seedtrace.dicom.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Encodes a data set in a little endian transfer syntax (implicit, explicit or deflated explicit).
 * Sequences and items are written with undefined length, encapsulated pixel data as its original
 * fragments. Big endian output is not offered: SeedTrace only reads it.
 */
public final class DataSetWriter {

  private DataSetWriter() {}

  public static byte[] toBytes(DataSet ds, TransferSyntax ts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(ds, ts, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * @throws IllegalArgumentException if {@code ts} is big endian or {@code ds} was read as big endian
   */
  public static void write(DataSet ds, TransferSyntax ts, OutputStream out) throws IOException {
    if (ts.bigEndian() || ds.bigEndian()) {
      throw new IllegalArgumentException("Writing big endian data sets is not supported");
    }
    if (ts.deflated()) {
      DeflaterOutputStream deflated = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true));
      writeItems(ds, ts.explicitVr(), deflated);
      deflated.finish();
    } else {
      writeItems(ds, ts.explicitVr(), out);
    }
  }

  private static void writeItems(DataSet ds, boolean explicit, OutputStream out) throws IOException {
    for (Element e : ds.elements()) {
      writeElement(e, explicit, out);
    }
  }

  private static void writeElement(Element e, boolean explicit, OutputStream out) throws IOException {
    writeTag(e.tag(), out);
    Vr vr = e.vr();
    boolean undefined = e.isSequence() || e.isEncapsulated();
    long length = undefined ? 0xFFFFFFFFL : e.value().length;
    if (explicit) {
      out.write(vr.name().charAt(0));
      out.write(vr.name().charAt(1));
      if (vr.longLength()) {
        out.write(0);
        out.write(0);
        writeUint32(length, out);
      } else {
        if (length > 0xFFFF) {
          throw new IllegalArgumentException(Tag.toString(e.tag()) + " (" + vr + ") value of " + length
              + " bytes does not fit a 16-bit length");
        }
        writeUint16((int) length, out);
      }
    } else {
      writeUint32(length, out);
    }
    if (e.isSequence()) {
      for (DataSet item : e.items()) {
        writeTag(Tag.Item, out);
        writeUint32(0xFFFFFFFFL, out);
        writeItems(item, explicit, out);
        writeTag(Tag.ItemDelimitationItem, out);
        writeUint32(0, out);
      }
      writeTag(Tag.SequenceDelimitationItem, out);
      writeUint32(0, out);
    } else if (e.isEncapsulated()) {
      for (byte[] fragment : e.fragments()) {
        writeTag(Tag.Item, out);
        writeUint32(fragment.length, out);
        out.write(fragment);
      }
      writeTag(Tag.SequenceDelimitationItem, out);
      writeUint32(0, out);
    } else {
      out.write(e.value());
    }
  }

  static void writeTag(int tag, OutputStream out) throws IOException {
    writeUint16(tag >>> 16, out);
    writeUint16(tag & 0xFFFF, out);
  }

  static void writeUint16(int v, OutputStream out) throws IOException {
    out.write(v & 0xFF);
    out.write((v >>> 8) & 0xFF);
  }

  static void writeUint32(long v, OutputStream out) throws IOException {
    out.write((int) (v & 0xFF));
    out.write((int) ((v >>> 8) & 0xFF));
    out.write((int) ((v >>> 16) & 0xFF));
    out.write((int) ((v >>> 24) & 0xFF));
  }
}
