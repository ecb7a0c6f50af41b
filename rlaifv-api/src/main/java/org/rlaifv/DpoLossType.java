package org.rlaifv;

/**
 * The DPO loss variants. With h = beta * [(log pi(y_w) - log ref(y_w)) - (log pi(y_l) - log
 * ref(y_l))]:
 *
 * <ul>
 *   <li>{@link #SIGMOID}: -log sigmoid(h) (the DPO paper, RLAIF-V's choice);
 *   <li>{@link #IPO}: (h / beta - 1 / (2 beta))^2;
 *   <li>{@link #HINGE}: max(0, 1 - h);
 *   <li>{@link #ROBUST}: ((1 - eps) * -log sigmoid(h) + eps * log sigmoid(-h)) / (1 - 2 eps);
 *   <li>{@link #LABEL_SMOOTHED} (cDPO): -(1 - eps) * log sigmoid(h) - eps * log sigmoid(-h).
 * </ul>
 *
 * eps is {@link DpoConfig#labelSmoothing()}.
 */
public enum DpoLossType {
  /** -log sigmoid(h). */
  SIGMOID,
  /** Identity preference optimisation. */
  IPO,
  /** SLiC-style hinge. */
  HINGE,
  /** Robust DPO (unbiased under label noise eps). */
  ROBUST,
  /** Conservative DPO (label smoothing eps). */
  LABEL_SMOOTHED
}
