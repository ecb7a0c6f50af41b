package org.rlaifv;

import java.util.List;
import java.util.Objects;

/** Argument checks shared by the records of this package. */
final class Checks {
  private Checks() {}

  static String nonBlank(String value, String what) {
    Objects.requireNonNull(value, what);
    if (value.isBlank()) {
      throw new InvalidInputException(what + " must not be blank");
    }
    return value;
  }

  static <T> List<T> copy(List<T> list, String what) {
    Objects.requireNonNull(list, what);
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        throw new InvalidInputException(what + " contains null at index " + i);
      }
    }
    return List.copyOf(list);
  }

  static double probability(double p, String what) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new InvalidInputException(what + " must be a probability in [0, 1], got " + p);
    }
    return p;
  }
}
