"""Who is who: the four roles are Django groups, and these are the checks every app uses.

Group membership is the single source of a user's role. What each role may do in the back
office (the groups' permissions) is the table in cms/roles.py, which can name every app.
"""

from django.core.exceptions import PermissionDenied

CIVIL_SERVANTS = "Civil servants"
ACADEMY_MANAGERS = "Academy managers"
HR_OFFICERS = "HR officers"
AUDITORS = "Auditors"

ALL_ROLES = (CIVIL_SERVANTS, ACADEMY_MANAGERS, HR_OFFICERS, AUDITORS)


def has_role(user, role: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cache = getattr(user, "_role_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_names = cache
    return role in cache


def is_academy_manager(user) -> bool:
    return has_role(user, ACADEMY_MANAGERS)


def is_hr_officer(user) -> bool:
    return has_role(user, HR_OFFICERS)


def is_auditor(user) -> bool:
    return has_role(user, AUDITORS)


def require_academy_manager(user) -> None:
    if not (user.is_superuser or is_academy_manager(user)):
        raise PermissionDenied
