package org.ipstrial.api.resources;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import org.ipstrial.api.core.confirmation.ConfirmationSender;

/**
 * Wakes the confirmation sender once a randomisation has answered 200: by then its transaction has
 * committed, so the e-mail is never part of it. (A retry answering the earlier allocation wakes it
 * too, harmlessly: that allocation is queued once.)
 */
public final class RandomisationCommitted implements ContainerResponseFilter {
    private final ConfirmationSender sender;

    public RandomisationCommitted(ConfirmationSender sender) {
        this.sender = sender;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() == 200 && "POST".equals(request.getMethod())
                && "randomisations".equals(request.getUriInfo().getPath().replaceAll("^/+|/+$", ""))) {
            sender.wake();
        }
    }
}
