"""The admin, one module per aggregate like cases/models/ (site.py is the site they register on).

Only administrators reach it (cases/admin/site.py). Every queryset, picker and history view
is scoped to the agencies the user may see anyway, and every save goes through the
services of cases/services/, so the admin obeys the same rules as the pages and the API.
"""

from cases.admin import accounts, cases, deadlines, defence, reminders, reports  # noqa: F401  (they register)
from cases.admin.site import site

__all__ = ["site"]
