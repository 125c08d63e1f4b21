"""schema.org descriptions of plans and actions, rendered with ``{% structured_data %}``.

A plan is a ``CreativeWork`` (a published document) by its owner, covering its years and its
municipality. An action is a schema.org ``Action``, whose ``actionStatus`` vocabulary
matches ours: planned, in progress, done, not done. schema.org has no "no outcome
reported": an action with no outcome reported carries no ``actionStatus`` at all, rather
than one that claims more than the sources say.
"""

from django.utils.translation import get_language, gettext

from networks.structured_data import organisation_ref

from .models import ScheduledYear

ACTION_STATUS = {
    ScheduledYear.Status.PLANNED: "https://schema.org/PotentialActionStatus",
    ScheduledYear.Status.IN_PROGRESS: "https://schema.org/ActiveActionStatus",
    ScheduledYear.Status.DONE: "https://schema.org/CompletedActionStatus",
    ScheduledYear.Status.NOT_DONE: "https://schema.org/FailedActionStatus",
}


def _url(request, obj):
    return request.build_absolute_uri(obj.get_absolute_url())


def plan_ref(request, plan):
    return {"@type": "CreativeWork", "@id": _url(request, plan), "name": plan.name}


def plan_data(plan, lines, request):
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": _url(request, plan),
        "name": plan.name,
        "url": _url(request, plan),
        "inLanguage": get_language(),
        "temporalCoverage": f"{plan.start_year}/{plan.end_year}",
        "author": organisation_ref(request, plan.owner),
        "hasPart": [
            {
                "@type": "CreativeWork",
                "@id": request.build_absolute_uri(line.get_absolute_url()),
                "name": str(line),
                "position": line.number,
                "url": request.build_absolute_uri(line.get_absolute_url()),
            }
            for line in lines
        ],
    }
    if plan.short_name:
        data["alternateName"] = plan.short_name
    if plan.description:
        data["description"] = plan.description
    if plan.website:
        data["sameAs"] = plan.website
    if plan.municipality_id:
        data["spatialCoverage"] = {
            "@type": "AdministrativeArea",
            "name": plan.municipality.name,
            "url": request.build_absolute_uri(plan.municipality.get_absolute_url()),
        }
    return data


def overall_status(statuses):
    """One status for an action over all its years (schema.org has no per-year status).

    Done only when every year is done; not done when every year is not done; in progress
    once any year has started or finished; planned when every year is planned; no outcome
    reported otherwise (some years are over and nobody said how they went).
    """
    statuses = set(statuses)
    if not statuses:
        return None
    Status = ScheduledYear.Status
    if statuses == {Status.DONE}:
        return Status.DONE
    if statuses == {Status.NOT_DONE}:
        return Status.NOT_DONE
    if statuses & set(Status.reported()):
        return Status.IN_PROGRESS
    if statuses == {Status.PLANNED}:
        return Status.PLANNED
    return Status.NOT_REPORTED


def line_data(line, request):
    return {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": _url(request, line),
        "url": _url(request, line),
        "name": str(line),
        "position": line.number,
        "isPartOf": plan_ref(request, line.plan),
        **({"description": line.description} if line.description else {}),
    }


def timeline_data(plan, request):
    """The timeline page: a web page about the plan (its data is in the plan's own terms)."""
    return {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": request.build_absolute_uri(plan.get_timeline_url()),
        "url": request.build_absolute_uri(plan.get_timeline_url()),
        "name": gettext("Timeline: %(plan)s") % {"plan": plan.name},
        "about": plan_ref(request, plan),
        "inLanguage": get_language(),
    }


def action_data(action, scheduled_years, request):
    plan = action.line.plan
    data = {
        "@context": "https://schema.org",
        "@type": "Action",
        "@id": _url(request, action),
        "name": f"{action.code} {action.title}",
        "url": _url(request, action),
        "agent": organisation_ref(request, plan.owner),
    }
    # schema.org's startTime and endTime are full date-times; the plan gives years only, so
    # the years are said in words rather than as a made-up day.
    years = sorted(scheduled.year for scheduled in scheduled_years)
    sentences = [action.description] if action.description else []
    if years:
        sentences.append(
            gettext("Scheduled for %(years)s.") % {"years": ", ".join(map(str, years))}
        )
    if sentences:
        data["description"] = " ".join(sentences)
    status = overall_status(scheduled.status for scheduled in scheduled_years)
    if status in ACTION_STATUS:
        data["actionStatus"] = ACTION_STATUS[status]
    return data
