package org.ipstrial.randomiser;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;

/**
 * A keyed generator for one block: HMAC-SHA256(secret, message || counter) for counter 0, 1, 2...
 * gives a stream of 32-byte outputs, read as big-endian unsigned 32-bit words. Not thread-safe:
 * one per block draw.
 */
final class KeyedGenerator {

    private static final int OUTPUT_BYTES = 32;
    private static final long TWO_TO_32 = 1L << 32;

    private final Mac mac;
    private final byte[] message;
    private final byte[] output = new byte[OUTPUT_BYTES];
    private int counter;
    private int offset = OUTPUT_BYTES;

    /** The last 4 bytes of {@code message} are the counter, overwritten here. */
    KeyedGenerator(Mac mac, byte[] message) {
        this.mac = mac;
        this.message = message;
    }

    /** A uniform integer in [0, bound), without modulo bias: words at or above the largest multiple of bound are rejected. */
    int nextInt(int bound) {
        if (bound < 1) {
            throw new IllegalArgumentException("bound must be positive, was " + bound);
        }
        if (bound == 1) {
            return 0;
        }
        long limit = TWO_TO_32 - (TWO_TO_32 % bound);
        long word;
        do {
            word = nextWord();
        } while (word >= limit);
        return (int) (word % bound);
    }

    private long nextWord() {
        if (offset == OUTPUT_BYTES) {
            refill();
        }
        long word = ((output[offset] & 0xFFL) << 24)
                | ((output[offset + 1] & 0xFFL) << 16)
                | ((output[offset + 2] & 0xFFL) << 8)
                | (output[offset + 3] & 0xFFL);
        offset += 4;
        return word;
    }

    private void refill() {
        int end = message.length;
        message[end - 4] = (byte) (counter >>> 24);
        message[end - 3] = (byte) (counter >>> 16);
        message[end - 2] = (byte) (counter >>> 8);
        message[end - 1] = (byte) counter;
        counter++;
        mac.update(message);
        try {
            mac.doFinal(output, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException("HMAC-SHA256 output is " + mac.getMacLength() + " bytes, expected 32", e);
        }
        offset = 0;
    }
}
