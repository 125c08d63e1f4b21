"""Each rule of an entry is checked once: an editor reads each message once, on its field."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from actions.models import Plan
from networks.models import Event, Funding, Membership, Network


def errors_of(instance):
    try:
        instance.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def test_a_membership_without_a_member_says_so_once(seeded):
    membership = Membership(network=Network.objects.first())
    messages = errors_of(membership)[NON_FIELD_ERRORS]
    (one_member,) = [c for c in Membership._meta.constraints if c.name == "membership_one_member"]
    assert messages == [str(one_member.violation_error_message)]


def test_each_period_that_ends_before_it_starts_is_refused_once_on_its_end(seeded):
    membership = Membership.objects.filter(organisation__isnull=False).first()
    membership.start_year, membership.end_year = 2020, 2019
    funding = Funding.objects.first()
    funding.start_year, funding.end_year = 2020, 2019
    plan = Plan.objects.first()
    plan.end_year = plan.start_year - 1
    event = Event.objects.first()
    event.end_date = event.start_date.replace(year=event.start_date.year - 1)
    for instance, field in [
        (membership, "end_year"),
        (funding, "end_year"),
        (plan, "end_year"),
        (event, "end_date"),
    ]:
        errors = errors_of(instance)
        assert list(errors) == [field], instance
        assert len(errors[field]) == 1
