package io.seedtrace.dicom.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

/**
 * 8-bit grey baseline JPEG with restart markers (DRI), which DCMTK's encoder does not write: the
 * JDK's own JPEG writer (libjpeg-based) makes it, and our pixels must equal the JDK reader's within
 * 1 (inverse DCT rounding).
 */
class JpegRestartIntervalTest {

  private static final String FORMAT = "javax_imageio_jpeg_image_1.0";

  @Test
  void baselineGreyWithRestartIntervalsDecodesLikeTheJdk() throws Exception {
    int width = 75;
    int height = 53; // not multiples of 8: partial blocks at the edges
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Random random = new Random(5);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, Math.min(255, (x * 3 + y * 2) % 256 + random.nextInt(20)));
      }
    }
    byte[] jpeg = encodeWithRestartInterval(image, 3);
    assertThat(containsRestartMarker(jpeg)).as("the stream has RST markers").isTrue();
    byte[] ours = new byte[width * height];
    new JpegDecoder().decode(jpeg, new FrameFormat(height, width, 1, 8, 8, false), ours, 0);
    BufferedImage jdk = ImageIO.read(new ByteArrayInputStream(jpeg));
    int worst = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        worst = Math.max(worst, Math.abs((ours[y * width + x] & 0xFF) - jdk.getRaster().getSample(x, y, 0)));
      }
    }
    assertThat(worst).isLessThanOrEqualTo(1);
  }

  private static byte[] encodeWithRestartInterval(BufferedImage image, int interval) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(0.9f);
    IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
    IIOMetadataNode markers = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
    IIOMetadataNode dri = new IIOMetadataNode("dri");
    dri.setAttribute("interval", Integer.toString(interval));
    markers.insertBefore(dri, markers.getFirstChild());
    metadata.setFromTree(FORMAT, root);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, metadata), param);
    }
    writer.dispose();
    return bytes.toByteArray();
  }

  private static boolean containsRestartMarker(byte[] b) {
    for (int i = 0; i + 1 < b.length; i++) {
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xF8) == 0xD0) {
        return true;
      }
    }
    return false;
  }
}
