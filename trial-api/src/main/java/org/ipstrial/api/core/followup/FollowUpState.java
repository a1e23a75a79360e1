package org.ipstrial.api.core.followup;

/** Where one recruit's survey wave stands on a day. */
public enum FollowUpState {
    /** The window has not opened yet. */
    upcoming,
    /** Inside the window, not done: fieldwork contacts them now. */
    due,
    /** The window has closed and the interview is not done: fieldwork may still try, late. */
    overdue,
    /** Interviewed (the survey agency's return, a completed contact, or a manual entry). */
    done
}
