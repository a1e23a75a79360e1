/**
 * Design diagnostics by simulation: how balanced and how predictable a design's sequences are, for
 * an expected recruitment per stratum, before the design goes live.
 */
package org.ipstrial.randomiser.diagnostics;
