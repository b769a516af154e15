"""The provincial office's formal check (形式审查) of recommended applications, and the
detection of duplicate applications and continuations of earlier key projects."""
