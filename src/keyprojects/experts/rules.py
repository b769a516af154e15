"""Who may do what in the expert pool, conflicts of interest and assignment.

The provincial office manages the pool, the review plan and the assignment; an expert
sees only their own tasks and declares their own conflicts (回避).
"""

import rules

from keyprojects.orgs.rules import is_office


@rules.predicate
def is_expert(user):
    """An account linked to an expert who is still in the pool."""
    if not user.is_authenticated or not user.is_active:
        return False
    expert = getattr(user, "expert", None)
    return expert is not None and expert.is_active


@rules.predicate
def assigned_to_user(user, application):
    return (
        application is not None
        and is_expert(user)
        and application.expert_assignments.filter(expert=user.expert).exists()
    )


rules.add_perm("experts.view_pool", is_office)
rules.add_perm("experts.import_pool", is_office)
rules.add_perm("experts.view_expert", is_office)
rules.add_perm("experts.manage_expert", is_office)
rules.add_perm("experts.edit_plan", is_office)
rules.add_perm("experts.run_assignment", is_office)
rules.add_perm("experts.adjust_assignment", is_office)
# The expert's own pages: their tasks and their declarations.
rules.add_perm("experts.view_own_tasks", is_expert)
rules.add_perm("experts.declare_conflict", is_expert)
# Declaring a conflict with a named application: only one the expert can see (assigned).
rules.add_perm("experts.declare_conflict_on", assigned_to_user)
