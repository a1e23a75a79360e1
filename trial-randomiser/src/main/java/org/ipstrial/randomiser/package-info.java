/** Permuted-block randomisation: a pure function of a design, a secret and a position. */
package org.ipstrial.randomiser;
