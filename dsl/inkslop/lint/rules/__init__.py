"""The rule registry: every rule by code, and the checks of each family."""

from __future__ import annotations

from inkslop.lint.rules import content, duration, front_matter, suppression, syntax, tags, variables
from inkslop.lint.rules.registry import GROUPS, CheckContext, Rule, broken_tags, rules_by_code

RULES: dict[str, Rule] = rules_by_code([syntax, tags, content, front_matter, variables,
                                           duration, suppression])
# The checks: of each top-level node, `tags.check_node` and `content.check_node`; of the
# whole document, `front_matter.check`, `variables.check`, `duration.check` and C006
# (`content.check_nothing_narrated`). inkslop.lint.checker runs them.

__all__ = ["GROUPS", "RULES", "CheckContext", "Rule", "broken_tags"]
