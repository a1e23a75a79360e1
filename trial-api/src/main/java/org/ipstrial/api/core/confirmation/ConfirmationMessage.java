package org.ipstrial.api.core.confirmation;

/**
 * The e-mail to the trial office: a plain-text note that a recruit was randomised. It names the
 * recruit by participant identifier only, and leaves out the arm, and the next step that would
 * give it away, when the office must stay blind to allocations.
 */
public record ConfirmationMessage(String subject, String body) {
    public static ConfirmationMessage of(AllocationConfirmation c, boolean blindToArm) {
        String subject = c.trialName() + ": participant " + c.participantIdForPeople() + " randomised";
        StringBuilder body = new StringBuilder()
                .append("A recruit has been randomised in ").append(c.trialName()).append(".\n\n")
                .append("Participant: ").append(c.participantIdForPeople()).append('\n')
                .append("Site: ").append(c.siteName()).append('\n')
                .append("Trial group: ").append(c.trialGroupName()).append('\n')
                .append("Randomised: ").append(c.allocatedAtForPeople()).append('\n')
                .append("Randomised by: ").append(c.randomisedBy()).append('\n');
        c.allocationFor(blindToArm).ifPresentOrElse(
                words -> body.append("Allocation: ").append(words).append('\n').append("Next step: ").append(c.nextStep()).append('\n'),
                () -> body.append("\nThe allocation is not included: the trial office stays blind to it.\n"));
        body.append("\nThe printable confirmation for the recruit's file is on the recruit's page of the trial service.\n");
        return new ConfirmationMessage(subject, body.toString());
    }
}
