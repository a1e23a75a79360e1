package org.ipstrial.etl.link;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The compact binary form of a linked administrative row in a partition file (big-endian). A row
 * holds the participant's position in the participant file, dates as days since 1970-01-01, codes
 * as small numbers and the one text the derivation needs, and nothing else: no National Insurance
 * number, date of birth or participant identifier.
 *
 * <pre>
 * payment: int participant, int payment day, int employment start day, int leaving day
 *          (Integer.MIN_VALUE = blank), byte pay frequency, long taxable pay in pence, text employer_ref
 * spell:   int participant, int start day, int end day (Integer.MIN_VALUE = open), byte UC regime
 *          (-1 = none), text benefit code
 * text:    int length of its UTF-8 bytes, then the bytes
 * </pre>
 *
 * Rows are encoded into a reused buffer (plain array writes: a hundred million rows pass through it).
 */
public final class PartitionFormat {
    private static final int FIXED_PAYMENT_BYTES = 4 * 4 + 1 + 8 + 4;
    private static final int FIXED_SPELL_BYTES = 3 * 4 + 1 + 4;

    private ByteBuffer row = ByteBuffer.allocate(256);

    ByteBuffer payment(int who, int paymentDay, int startDay, int leavingDay, byte frequency, long pence, byte[] employerRef) {
        ByteBuffer b = room(FIXED_PAYMENT_BYTES + employerRef.length);
        b.putInt(who).putInt(paymentDay).putInt(startDay).putInt(leavingDay).put(frequency).putLong(pence);
        b.putInt(employerRef.length).put(employerRef);
        return b.flip();
    }

    ByteBuffer spell(int who, int startDay, int endDay, byte regime, byte[] benefit) {
        ByteBuffer b = room(FIXED_SPELL_BYTES + benefit.length);
        b.putInt(who).putInt(startDay).putInt(endDay).put(regime);
        b.putInt(benefit.length).put(benefit);
        return b.flip();
    }

    private ByteBuffer room(int bytes) {
        if (row.capacity() < bytes) {
            row = ByteBuffer.allocate(bytes);
        }
        return row.clear();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads rows back from a partition file through a buffer refilled as it empties. */
    public static final class Input implements AutoCloseable {
        private final InputStream in;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).limit(0);

        public Input(InputStream in) {
            this.in = in;
        }

        private ByteBuffer need(int bytes) throws IOException {
            if (buffer.remaining() >= bytes) {
                return buffer;
            }
            buffer.compact();
            while (buffer.position() < bytes) {
                int n = in.read(buffer.array(), buffer.position(), buffer.capacity() - buffer.position());
                if (n < 0) {
                    throw new EOFException("partition file ends inside a row");
                }
                buffer.position(buffer.position() + n);
            }
            return buffer.flip();
        }

        int readInt() throws IOException {
            return need(4).getInt();
        }

        long readLong() throws IOException {
            return need(8).getLong();
        }

        byte readByte() throws IOException {
            return need(1).get();
        }

        String readText() throws IOException {
            int length = need(4).getInt();
            if (length < 0) {
                throw new IOException("partition file damaged (text length " + length + ")");
            }
            if (length > buffer.capacity()) {
                // A text longer than the buffer (never in real data, but nothing in the input forbids it).
                byte[] bytes = new byte[length];
                int have = buffer.remaining();
                buffer.get(bytes, 0, have);
                if (in.readNBytes(bytes, have, length - have) != length - have) {
                    throw new EOFException("partition file ends inside a row");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
            ByteBuffer b = need(length);
            String text = new String(b.array(), b.position(), length, StandardCharsets.UTF_8);
            b.position(b.position() + length);
            return text;
        }

        /** Whether every row has been read. */
        public boolean atEnd() throws IOException {
            if (buffer.hasRemaining()) {
                return false;
            }
            return in.read() < 0;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
