/**
 * Claim splitters and polar questioners: rule-based ones for plain descriptive English ({@link
 * org.rlaifv.core.text.RuleBasedClaimSplitter}, {@link
 * org.rlaifv.core.text.RuleBasedPolarQuestioner}) and LLM-prompted ones over a {@link
 * org.rlaifv.TextGenerator} with RLAIF-V's prompt shapes ({@link
 * org.rlaifv.core.text.PromptedClaimSplitter}, {@link
 * org.rlaifv.core.text.PromptedPolarQuestioner}), whose output a tolerant {@link
 * org.rlaifv.core.text.LlmListParser} reads.
 *
 * <p>Parameters and return values are non-null unless a method says otherwise; methods never return
 * null collections.
 */
package org.rlaifv.core.text;
