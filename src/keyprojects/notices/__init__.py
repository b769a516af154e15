"""The decision on the year's key projects and its public notice (公示), with objections
(异议) from the public and the final list."""
