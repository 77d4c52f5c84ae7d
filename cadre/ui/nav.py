"""The pages, in menu order, grouped; projector mode steps through them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    key: str        # url path and i18n key suffix: nav.<key>
    file: str       # page script under pages/
    icon: str       # material icon
    group: str      # i18n key of the menu group
    needs: str = "view"  # the cadre.access action the page requires (the page checks it too)


PAGES = [
    PageSpec("overview", "pages/overview.py", ":material/dashboard:", "nav.group.office"),
    PageSpec("distribution", "pages/distribution.py", ":material/bar_chart:", "nav.group.assessment"),
    PageSpec("sections", "pages/sections.py", ":material/compare:", "nav.group.assessment"),
    PageSpec("person", "pages/person.py", ":material/person:", "nav.group.assessment", "view_person"),
    PageSpec("whatif", "pages/whatif.py", ":material/tune:", "nav.group.assessment"),
    PageSpec("appraisal", "pages/appraisal.py", ":material/gavel:", "nav.group.assessment",
             "view_appraisal"),
    PageSpec("structure", "pages/structure.py", ":material/groups:", "nav.group.cadres"),
    PageSpec("pipeline", "pages/pipeline.py", ":material/trending_up:", "nav.group.cadres"),
    PageSpec("projection", "pages/projection.py", ":material/timeline:", "nav.group.cadres"),
    PageSpec("succession", "pages/succession.py", ":material/account_tree:", "nav.group.cadres"),
    PageSpec("data", "pages/data.py", ":material/upload_file:", "nav.group.admin", "view_data"),
    PageSpec("settings", "pages/settings.py", ":material/settings:", "nav.group.admin", "edit_settings"),
    PageSpec("users", "pages/users.py", ":material/manage_accounts:", "nav.group.admin", "manage_users"),
    PageSpec("audit", "pages/audit.py", ":material/policy:", "nav.group.admin", "view_audit"),
]

# The default meeting agenda for projector mode's previous/next.
DEFAULT_AGENDA = ["overview", "distribution", "sections", "structure", "pipeline"]
