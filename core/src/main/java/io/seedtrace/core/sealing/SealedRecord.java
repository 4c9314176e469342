package io.seedtrace.core.sealing;

/**
 * A sealing record as stored: nothing in it is readable without the master key and the current
 * trace key. The record is encrypted with its own AES-256-GCM data key (bound to the cartridge id as
 * associated data); the data key is wrapped with a key derived from the master key and the trace
 * key.
 */
public record SealedRecord(String cartridgeId, byte[] iv, byte[] ciphertext, byte[] wrapIv, byte[] wrappedDataKey) {}
