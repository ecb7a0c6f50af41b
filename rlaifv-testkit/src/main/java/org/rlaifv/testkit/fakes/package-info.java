/**
 * Fakes of the RLAIF-V roles for tests: scripted sampler, judge and text generator, and the
 * constant and random baseline judges.
 *
 * <p>Parameters and return values are non-null; fakes reject null input with {@link
 * NullPointerException}.
 */
package org.rlaifv.testkit.fakes;
