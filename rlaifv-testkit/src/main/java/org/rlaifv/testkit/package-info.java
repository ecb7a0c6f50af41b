/**
 * Testing tools for judges and loops built on the RLAIF-V SDK: the {@link
 * org.rlaifv.testkit.JudgeHarness} with its {@link org.rlaifv.testkit.JudgeReport} and fluent
 * {@link org.rlaifv.testkit.JudgeAssertions}, labelled JSONL sets ({@link
 * org.rlaifv.testkit.LabelledSet}), and the contract tests every implementation can run: {@link
 * org.rlaifv.testkit.PolarJudgeContract} for judges, {@link
 * org.rlaifv.testkit.ResponseSamplerContract} for samplers. Add the module with test scope.
 *
 * <p>Parameters and return values are non-null unless a method says otherwise; methods never return
 * null collections.
 */
package org.rlaifv.testkit;
