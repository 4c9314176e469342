package io.seedtrace.server.custody;

import io.seedtrace.server.security.KeyVault;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's own keys for the chain of custody, kept in one PKCS#12 keystore: the AES-256
 * master key that wraps the sealing records' data keys (alias {@code sealing-master}) and the
 * hospital's P-256 chip-signing key pair (stored as a secret entry holding its PKCS#8 and X.509
 * encodings, since a PKCS#12 private-key entry would need a certificate). Created on first start
 * when the keystore does not exist; never overwritten.
 */
public final class CustodyKeys {

  private static final String MASTER = "sealing-master";
  private static final String HOSPITAL_PRIVATE = "hospital-chip-key";
  private static final String HOSPITAL_PUBLIC = "hospital-chip-key-public";

  private final SecretKey master;
  private final KeyPair hospital;

  private CustodyKeys(SecretKey master, KeyPair hospital) {
    this.master = master;
    this.hospital = hospital;
  }

  public static CustodyKeys loadOrCreate(Path file, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      if (Files.exists(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          store.load(in, password);
        }
      } else {
        CustodyKeys fresh = generate();
        store.load(null, password);
        store.setEntry(MASTER, new KeyStore.SecretKeyEntry(fresh.master), new KeyStore.PasswordProtection(password));
        store.setEntry(HOSPITAL_PRIVATE, opaque(fresh.hospital.getPrivate().getEncoded()),
            new KeyStore.PasswordProtection(password));
        store.setEntry(HOSPITAL_PUBLIC, opaque(fresh.hospital.getPublic().getEncoded()),
            new KeyStore.PasswordProtection(password));
        write(store, file, password);
      }
      SecretKey master = (SecretKey) store.getKey(MASTER, password);
      if (master == null) {
        throw new IllegalStateException(file + " holds no " + MASTER + " entry");
      }
      byte[] pkcs8 = store.getKey(HOSPITAL_PRIVATE, password).getEncoded();
      byte[] x509 = store.getKey(HOSPITAL_PUBLIC, password).getEncoded();
      return new CustodyKeys(new SecretKeySpec(master.getEncoded(), "AES"), hospitalPair(pkcs8, x509));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the custody keystore " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("custody keystore " + file + " is unusable: " + e.getMessage(), e);
    }
  }

  /**
   * The cluster's keys from the vault. When the vault has none yet, this node's go in: those of
   * the keystore {@code file} if it exists (so the records it sealed stay readable), else new ones.
   */
  public static CustodyKeys shared(KeyVault vault, Path file, char[] password) {
    CustodyKeys[] local = new CustodyKeys[1];
    Supplier<CustodyKeys> initial = () -> {
      if (local[0] == null) {
        local[0] = Files.exists(file) ? loadOrCreate(file, password) : generate();
      }
      return local[0];
    };
    byte[] master = vault.secret(MASTER, () -> initial.get().master.getEncoded());
    byte[] hospital = vault.secret(HOSPITAL_PRIVATE, () -> pairEncoding(initial.get().hospital));
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(hospital))) {
      byte[] pkcs8 = in.readNBytes(in.readInt());
      byte[] x509 = in.readAllBytes();
      return new CustodyKeys(new SecretKeySpec(master, "AES"), hospitalPair(pkcs8, x509));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the hospital chip key in the key vault is unusable: " + e.getMessage(), e);
    }
  }

  private static CustodyKeys generate() {
    try {
      KeyGenerator aes = KeyGenerator.getInstance("AES");
      aes.init(256);
      KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
      ec.initialize(new ECGenParameterSpec("secp256r1"));
      return new CustodyKeys(aes.generateKey(), ec.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate the custody keys: " + e.getMessage(), e);
    }
  }

  private static KeyPair hospitalPair(byte[] pkcs8, byte[] x509) throws GeneralSecurityException {
    KeyFactory ecFactory = KeyFactory.getInstance("EC");
    return new KeyPair(ecFactory.generatePublic(new X509EncodedKeySpec(x509)),
        ecFactory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
  }

  /** The private key's PKCS#8 encoding (length-prefixed), then the public key's X.509 encoding. */
  private static byte[] pairEncoding(KeyPair pair) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      byte[] pkcs8 = pair.getPrivate().getEncoded();
      out.writeInt(pkcs8.length);
      out.write(pkcs8);
      out.write(pair.getPublic().getEncoded());
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return bytes.toByteArray();
  }

  private static KeyStore.SecretKeyEntry opaque(byte[] encoded) {
    return new KeyStore.SecretKeyEntry(new SecretKeySpec(encoded, "HmacSHA256"));
  }

  private static void write(KeyStore store, Path file, char[] password) throws IOException, GeneralSecurityException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      store.store(out, password);
    }
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the directory's ACL applies
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  public SecretKey master() {
    return master;
  }

  public PrivateKey hospitalPrivateKey() {
    return hospital.getPrivate();
  }

  public PublicKey hospitalPublicKey() {
    return hospital.getPublic();
  }

  /** The hospital's public key as base64 X.509 SubjectPublicKeyInfo, as published in $seal answers. */
  public String hospitalPublicKeyBase64() {
    return Base64.getEncoder().encodeToString(hospital.getPublic().getEncoded());
  }
}
