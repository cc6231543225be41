"""`{% load authorization %}{% may "export" "ratings" as allowed %}`: templates ask the same
policies (people.authorization) as menus, views and the API, for the request's user."""

from django import template

from people import authorization

register = template.Library()

POLICIES = {
    "import": authorization.may_import,
    "export": authorization.may_export,
    "read": authorization.may_read,
    "view_servant": authorization.may_view_servant,
    "view_records_of": authorization.may_view_records_of,
    "manage_ratings": authorization.may_manage_ratings,
    "record_appointment": authorization.may_record_appointment,
    "run_sessions": authorization.may_run_sessions,
    "correct_records": authorization.may_correct_records,
    "revoke_certificates": authorization.may_revoke_certificates,
    "decide_enrolments": authorization.may_decide_enrolments,
    "check_eligibility": authorization.may_check_eligibility,
    "view_meritocracy": authorization.may_view_meritocracy,
    "dry_run_rules": authorization.may_dry_run_rules,
}


@register.simple_tag(takes_context=True)
def may(context, policy: str, *args) -> bool:
    """False without a request user; an unknown policy name is a template error."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return False
    return bool(POLICIES[policy](user, *args))
