package org.ipstrial.api.auth;

/** What a user may do. Each role sees only what it needs (see docs/security.md). */
public enum Role {
    /** Recruits and randomises at first appointments, for their own site only. */
    specialist,
    /** Monitors recruitment; records withdrawals, deaths and erasures. */
    manager,
    /** Owns the randomisation design and may audit the allocation sequence. */
    statistician,
    /** The only role that exports identifiable data (the participant and baseline files). */
    custodian,
    /** Survey fieldwork: the sample frame and the follow-up list (contact details only while a wave is due); logs contact attempts. */
    fieldwork,
    /** Pseudonymised outputs only. */
    analyst,
    /** Creates and disables users, assigns sites, resets passwords. */
    admin;

    // Constants for @RolesAllowed, which needs compile-time strings.
    public static final String SPECIALIST = "specialist";
    public static final String MANAGER = "manager";
    public static final String STATISTICIAN = "statistician";
    public static final String CUSTODIAN = "custodian";
    public static final String FIELDWORK = "fieldwork";
    public static final String ANALYST = "analyst";
    public static final String ADMIN = "admin";
}
