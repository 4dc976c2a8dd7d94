"""Reference loop-nest executor: literal, slow, the ground truth of the analytic model."""
