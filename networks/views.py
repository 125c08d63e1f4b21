"""Public pages of the directory. Minimal list and detail pages; see the public-site issue."""

from django.views.generic import DetailView, ListView

from .models import Event, Funder, Municipality, Network, Organisation, Theme


class NetworkListView(ListView):
    model = Network
    paginate_by = 30


class NetworkDetailView(DetailView):
    model = Network


class OrganisationListView(ListView):
    model = Organisation
    paginate_by = 30


class OrganisationDetailView(DetailView):
    model = Organisation


class FunderListView(ListView):
    model = Funder


class FunderDetailView(DetailView):
    model = Funder


class MunicipalityListView(ListView):
    model = Municipality
    paginate_by = 50


class MunicipalityDetailView(DetailView):
    model = Municipality


class EventListView(ListView):
    model = Event
    paginate_by = 30


class EventDetailView(DetailView):
    model = Event


class ThemeDetailView(DetailView):
    model = Theme
