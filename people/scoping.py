"""Who may see whose people and records. Every view, export and API scopes through here.

- superusers, academy managers and auditors see every state body;
- an HR officer sees the state bodies they are tied to (HROfficer.agencies), nothing else;
- a civil servant sees their own records only;
- anyone else sees nothing.
"""

from django.db.models import QuerySet

from core.authorization import is_academy_manager, is_auditor, is_hr_officer

from .models import Agency


def sees_all_agencies(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or is_academy_manager(user) or is_auditor(user)


def agencies_visible_to(user) -> QuerySet[Agency]:
    if sees_all_agencies(user):
        return Agency.objects.all()
    if getattr(user, "is_authenticated", False) and user.is_active and is_hr_officer(user):
        return Agency.objects.filter(hr_officers__user=user)
    return Agency.objects.none()


def scope_queryset(queryset: QuerySet, user, *, servant_path: str = "") -> QuerySet:
    """Limit `queryset` to what `user` may see.

    `servant_path` is the lookup path from the queryset's model to CivilServant
    ("" for CivilServant itself, "servant" for ratings, "enrolment__servant"…).
    """
    prefix = f"{servant_path}__" if servant_path else ""
    if sees_all_agencies(user):
        return queryset
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if is_hr_officer(user):
        # A subquery rather than a join through the officer's agencies: no DISTINCT, so the
        # admin lists' COUNT(*) and first page stay index scans at national scale.
        agencies = Agency.objects.filter(hr_officers__user=user).values("pk")
        return queryset.filter(**{f"{prefix}agency__in": agencies})
    return queryset.filter(**{f"{prefix}user": user})


def agency_scope_queryset(queryset: QuerySet, user, *, agency_path: str = "agency") -> QuerySet:
    """Limit a queryset of agency-owned, non-personal rows (positions, competitions)."""
    if sees_all_agencies(user):
        return queryset
    return queryset.filter(**{f"{agency_path}__in": agencies_visible_to(user)})
