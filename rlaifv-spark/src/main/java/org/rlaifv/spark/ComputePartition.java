package org.rlaifv.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.rlaifv.ResponseSampler;
import org.rlaifv.ResponseScorer;
import org.rlaifv.core.io.Json;
import org.rlaifv.core.io.PromptResponses;
import org.rlaifv.core.loop.Stage;
import org.rlaifv.core.loop.StageSpec;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * The executor side of a stage: computes the records of one partition's prompts with the role
 * this executor holds for the stage ({@link ExecutorRoles}), opening it on first use. What it
 * returns depends only on the stage spec and the prompts, so a retried or speculative copy of the
 * task returns the same records.
 */
final class ComputePartition extends AbstractFunction1<Iterator<PromptTask>, TaskOutput[]>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String specJson;

  ComputePartition(String specJson) {
    this.specJson = specJson;
  }

  @Override
  public TaskOutput[] apply(Iterator<PromptTask> it) {
    List<PromptTask> tasks = new ArrayList<>();
    while (it.hasNext()) {
      tasks.add(it.next());
    }
    if (tasks.isEmpty()) {
      return new TaskOutput[0];
    }
    StageSpec spec = StageSpec.fromJson(specJson);
    List<TaskOutput> out = new ArrayList<>(tasks.size());
    if (spec.stage() == Stage.SAMPLE) {
      try (ExecutorRoles.Lease<ResponseSampler> lease =
          ExecutorRoles.acquire("sampler", spec.roleKey(), spec::openSampler)) {
        String role = Json.toJson(lease.role().provenance());
        for (PromptTask t : tasks) {
          out.add(new TaskOutput(t.index(),
              Json.toJson(spec.sample(lease.role(), t.prompt())), role));
        }
      }
    } else {
      try (ExecutorRoles.Lease<ResponseScorer> lease =
          ExecutorRoles.acquire("scorer", spec.roleKey(), spec::openScorer)) {
        String role = Json.toJson(lease.role().provenance());
        for (PromptTask t : tasks) {
          PromptResponses sampled = Json.fromJson(t.input(), PromptResponses.class);
          out.add(new TaskOutput(t.index(),
              Json.toJson(spec.score(lease.role(), t.prompt(), sampled)), role));
        }
      }
    }
    return out.toArray(new TaskOutput[0]);
  }
}
