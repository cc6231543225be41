"""Who may do what: every named policy of the project, in one place.

Menus, admin views, the import and export screens, the management commands' API twins, the
REST API's permission classes and templates all ask these functions, so a menu item, its view
and its API can never disagree. What each role may do is the permission table in cms/roles.py
(synced to the groups after every migrate); the role checks themselves come from
core.authorization and are re-exported here, so callers import from this module only.

Scoping (which rows of which state bodies) stays in people.scoping: a policy answers "may this
user do this kind of thing", scoping answers "on which rows".
"""

from django.core.exceptions import PermissionDenied

from core.authorization import (
    ACADEMY_MANAGERS,
    ALL_ROLES,
    AUDITORS,
    CIVIL_SERVANTS,
    HR_OFFICERS,
    has_role,
    is_academy_manager,
    is_auditor,
    is_hr_officer,
)

from .models import CivilServant
from .scoping import scope_queryset

__all__ = [
    "ACADEMY_MANAGERS",
    "ALL_ROLES",
    "AUDITORS",
    "CIVIL_SERVANTS",
    "EXPORT_PERMISSIONS",
    "HR_OFFICERS",
    "IMPORT_PERMISSIONS",
    "READ_PERMISSIONS",
    "export_kinds",
    "has_role",
    "import_kinds",
    "is_academy_manager",
    "is_active_user",
    "is_auditor",
    "is_hr_officer",
    "is_staff_role",
    "may_check_eligibility",
    "may_correct_records",
    "may_decide_enrolments",
    "may_dry_run_rules",
    "may_export",
    "may_import",
    "may_manage_ratings",
    "may_read",
    "may_record_appointment",
    "may_revoke_certificates",
    "may_run_sessions",
    "may_use_api",
    "may_view_annual_report",
    "may_view_meritocracy",
    "may_view_records_of",
    "may_view_servant",
    "require",
    "require_academy_manager",
]

# Importing a kind creates and updates rows of its model: the user needs those permissions.
# Qualification records and competitions are never edited in the admin (records supersede,
# the competitions register is filled by imports), so their import is a permission of its own.
IMPORT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "servants": ("people.add_civilservant", "people.change_civilservant"),
    "ratings": ("people.add_performancerating", "people.change_performancerating"),
    "completions": ("enrolments.import_qualificationrecord",),
    "competitions": ("promotions.import_competition",),
}
# Exporting (and reading through the API) a kind needs the view permission on its model.
READ_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "servants": ("people.view_civilservant",),
    "ratings": ("people.view_performancerating",),
    "records": ("enrolments.view_qualificationrecord",),
    "enrolments": ("enrolments.view_enrolment",),
    "competitions": ("promotions.view_competition",),
    "certificates": ("certificates.view_certificate",),
}
EXPORT_PERMISSIONS = {
    kind: READ_PERMISSIONS[kind]
    for kind in ("servants", "ratings", "records", "enrolments", "competitions")
}
# The current records in the completions import's own columns: an export that imports back.
EXPORT_PERMISSIONS["completions"] = READ_PERMISSIONS["records"]


def is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_staff_role(user) -> bool:
    """A back-office user: superuser, academy manager, HR officer or auditor (never a civil
    servant, whatever else their login holds)."""
    return is_active_user(user) and (
        user.is_superuser or is_academy_manager(user) or is_hr_officer(user) or is_auditor(user)
    )


def _has_all(user, permissions) -> bool:
    return bool(permissions) and is_active_user(user) and user.has_perms(permissions)


def require(allowed: bool) -> None:
    """`require(may_x(user, …))` in a view: 403 unless the policy allows it."""
    if not allowed:
        raise PermissionDenied


def require_academy_manager(user) -> None:
    require(may_run_sessions(user))


# -- imports, exports and the API ----------------------------------------------------------


def may_import(user, kind: str | None = None) -> bool:
    """May `user` import `kind` (any kind, when None)? The shell (no user) is not asked."""
    if kind is None:
        return bool(import_kinds(user))
    return _has_all(user, IMPORT_PERMISSIONS.get(kind, ()))


def import_kinds(user) -> list[str]:
    return [kind for kind in IMPORT_PERMISSIONS if may_import(user, kind)]


def may_export(user, kind: str | None = None) -> bool:
    """May `user` export `kind` (any kind, when None)? Rows are then scoped as everywhere."""
    if kind is None:
        return bool(export_kinds(user))
    return is_staff_role(user) and _has_all(user, EXPORT_PERMISSIONS.get(kind, ()))


def export_kinds(user) -> list[str]:
    return [kind for kind in EXPORT_PERMISSIONS if may_export(user, kind)]


def may_use_api(user) -> bool:
    """The REST API is for the back office's systems; civil servants' tokens get nothing."""
    return is_staff_role(user)


def may_read(user, kind: str) -> bool:
    """May `user` list `kind` (servants, ratings, records, enrolments, competitions,
    certificates) — in the API, exports and the admin alike?"""
    return is_staff_role(user) and _has_all(user, READ_PERMISSIONS.get(kind, ()))


# -- people and their records --------------------------------------------------------------


def may_view_servant(user, servant) -> bool:
    """The person's page: staff who see the person's state body, or the person themselves."""
    if not is_active_user(user) or servant is None or servant.pk is None:
        return False
    if servant.user_id is not None and servant.user_id == user.pk:
        return True
    if not may_read(user, "servants"):
        return False
    return scope_queryset(CivilServant.objects.filter(pk=servant.pk), user).exists()


def may_view_records_of(user, servant) -> bool:
    """A person's training records and transcript: the person, or staff who may read records
    and see the person."""
    if not is_active_user(user) or servant is None:
        return False
    if servant.user_id is not None and servant.user_id == user.pk:
        return True
    return may_read(user, "records") and may_view_servant(user, servant)


def may_manage_ratings(user) -> bool:
    return _has_all(user, IMPORT_PERMISSIONS["ratings"])


# -- the academy's and the HR officers' screens -----------------------------------------------


def may_run_sessions(user) -> bool:
    """Attendance and results, issuing certificates, cancelling a session: the academy."""
    return is_active_user(user) and (user.is_superuser or is_academy_manager(user))


def may_correct_records(user) -> bool:
    return may_run_sessions(user)


def may_revoke_certificates(user) -> bool:
    return may_run_sessions(user)


def may_decide_enrolments(user) -> bool:
    """The approvals queue (which requests, the services decide per person)."""
    return is_active_user(user) and (
        user.is_superuser or is_academy_manager(user) or is_hr_officer(user)
    )


def may_check_eligibility(user) -> bool:
    return may_decide_enrolments(user)


def may_view_meritocracy(user) -> bool:
    return is_staff_role(user)


def may_view_annual_report(user) -> bool:
    """The academy's annual report covers every state body, so it is for those who see all of
    them: academy managers, auditors, superusers. HR officers are left out until each of its
    tables (and the plans against them) is scoped to their own state bodies."""
    return is_active_user(user) and (
        user.is_superuser or is_academy_manager(user) or is_auditor(user)
    )


def may_record_appointment(user, servant) -> bool:
    """An appointment under the merit rule: the academy, or an HR officer for a person of
    their own state bodies (promotions.appointments asks this too)."""
    return (
        may_decide_enrolments(user)
        and servant is not None
        and scope_queryset(CivilServant.objects.filter(pk=servant.pk), user).exists()
    )


def may_dry_run_rules(user) -> bool:
    return is_active_user(user) and (user.is_superuser or is_auditor(user))
