"""Expert review (专家评审): the expert pool, conflicts of interest (回避), assignment,
scoring and the aggregation of scores into a ranking."""
