package org.ipstrial.api.resources.errors;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Refuses request bodies over a limit with 413, whether or not they declare their length. */
public final class BodySizeLimit implements ContainerRequestFilter {
    private final long limit;

    public BodySizeLimit(long limit) {
        this.limit = limit;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > limit) {
            throw new WebApplicationException(Response.status(413).build());
        }
        request.setEntityStream(new Bounded(request.getEntityStream(), limit));
    }

    private static final class Bounded extends FilterInputStream {
        private long remaining;

        Bounded(InputStream in, long limit) {
            super(in);
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --remaining < 0) {
                throw new WebApplicationException(Response.status(413).build());
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && (remaining -= n) < 0) {
                throw new WebApplicationException(Response.status(413).build());
            }
            return n;
        }
    }
}
