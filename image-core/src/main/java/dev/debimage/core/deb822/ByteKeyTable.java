package dev.debimage.core.deb822;

import java.util.Arrays;

/**
 * A hash table keyed by byte sequences, so that a parser can find the value it made for the same
 * bytes earlier without decoding them into a String first.
 *
 * <p>The table uses open addressing with linear probing, and doubles when it is half full. Keys are copied,
 * so the caller may reuse its buffer.
 */
final class ByteKeyTable<V> {

  private byte[][] keys = new byte[64][];
  private int[] hashes = new int[64];
  private Object[] values = new Object[64];
  private int size;

  int size() {
    return size;
  }

  /** Returns the value stored for {@code bytes[offset, offset + length)}, or null. */
  @SuppressWarnings("unchecked")
  V get(byte[] bytes, int offset, int length) {
    int hash = hash(bytes, offset, length);
    int mask = keys.length - 1;
    for (int slot = hash & mask; keys[slot] != null; slot = (slot + 1) & mask) {
      if (hashes[slot] == hash && matches(keys[slot], bytes, offset, length)) {
        return (V) values[slot];
      }
    }
    return null;
  }

  /** Stores {@code value} for {@code bytes[offset, offset + length)}, which must not be present yet. */
  void put(byte[] bytes, int offset, int length, V value) {
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    insert(Arrays.copyOfRange(bytes, offset, offset + length), hash(bytes, offset, length), value);
    size++;
  }

  private void insert(byte[] key, int hash, Object value) {
    int mask = keys.length - 1;
    int slot = hash & mask;
    while (keys[slot] != null) {
      slot = (slot + 1) & mask;
    }
    keys[slot] = key;
    hashes[slot] = hash;
    values[slot] = value;
  }

  private void grow() {
    byte[][] oldKeys = keys;
    int[] oldHashes = hashes;
    Object[] oldValues = values;
    keys = new byte[oldKeys.length * 2][];
    hashes = new int[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != null) {
        insert(oldKeys[i], oldHashes[i], oldValues[i]);
      }
    }
  }

  private static int hash(byte[] bytes, int offset, int length) {
    int hash = 1;
    for (int i = offset; i < offset + length; i++) {
      hash = 31 * hash + bytes[i];
    }
    // Spreads the high bits into the low ones that the mask keeps, as HashMap does.
    return hash ^ (hash >>> 16);
  }

  // A plain loop, because Arrays.equals inlines a vectorized comparison that is slow to compile:
  // in profiled fresh JVMs, C2 took 0.56 s to compile get() with it and 0.02 s without.
  private static boolean matches(byte[] key, byte[] bytes, int offset, int length) {
    if (key.length != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (key[i] != bytes[offset + i]) {
        return false;
      }
    }
    return true;
  }
}
