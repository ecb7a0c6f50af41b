package consumer;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.rlaifv.ClaimVerdict;
import org.rlaifv.testkit.jqwik.RlaifvArbitraries;

class VerdictPropertiesTest {
  @Property(tries = 20)
  boolean rejectingVerdictsAreRejected(@ForAll("rejecting") ClaimVerdict v) {
    return v.rejected();
  }

  @Provide
  Arbitrary<ClaimVerdict> rejecting() {
    return RlaifvArbitraries.rejectingVerdicts();
  }
}
