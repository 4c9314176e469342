package io.seedtrace.detection.internal;

/** A first-in first-out queue of ints for flood fills in a box, each index added at most once. */
final class IntQueue {

  private final int[] items;
  private int head;
  private int tail;

  IntQueue(int capacity) {
    items = new int[capacity];
  }

  void add(int value) {
    items[tail++] = value;
  }

  int poll() {
    return items[head++];
  }

  boolean isEmpty() {
    return head == tail;
  }

  void clear() {
    head = 0;
    tail = 0;
  }
}
