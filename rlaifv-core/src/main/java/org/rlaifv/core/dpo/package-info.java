/**
 * DPO maths without an ML engine: the loss variants of {@link org.rlaifv.DpoLossType}, their
 * analytic gradients with respect to the policy's sequence log-probs, and TRL's reward metrics.
 * Backends use it to check their autograd losses and to report metrics.
 *
 * <p>Parameters and return values are non-null unless a method says otherwise.
 */
package org.rlaifv.core.dpo;
