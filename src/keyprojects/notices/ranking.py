"""The experts' ranking, as the decision page needs it.

The ranking is computed by keyprojects.scoring.aggregation.ranking(call, *, normalise=False),
which returns RankedApplication rows (application, category, score: Decimal | None,
rank: int | None per category, scores_count, assigned_count, spread, tie_note,
outlier_notes). Until that module is installed the page shows every score as "—".
"""

from __future__ import annotations

_SCORING_MODULES = {"keyprojects.scoring", "keyprojects.scoring.aggregation"}


def ranking_for(call, *, normalise=False) -> dict:
    """Ranking rows by application id; {} while the scoring module does not exist yet."""
    try:
        from keyprojects.scoring.aggregation import ranking
    except ModuleNotFoundError as error:
        # Only the scoring module's own absence is expected; anything else is a bug.
        if error.name not in _SCORING_MODULES:
            raise
        return {}
    return {row.application.pk: row for row in ranking(call, normalise=normalise)}


def rank_key(application, rows: dict):
    """Ranked applications first by rank, then the unranked by name."""
    row = rows.get(application.pk)
    rank = getattr(row, "rank", None)
    return (rank is None, rank or 0, application.name)
