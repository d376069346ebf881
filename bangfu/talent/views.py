"""The pages of people sent and trained: counts per year and kind, the lists, and the forms."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from bangfu.core.forms import DateReasonForm
from bangfu.core.roles import can
from bangfu.core.views import Col, ServiceCreateView, ServiceFormView, TableView, UIView
from bangfu.talent import figures, forms, services
from bangfu.talent.models import PersonSent, PersonTrained, SentKind, TrainedKind


class TalentSection:
    """The pages of people sent and trained: their menu entry, the name above each title, the breadcrumb home."""

    nav = "talent"
    section = gettext_lazy("People sent and trained")
    section_url = "talent_home"


class TalentHomeView(UIView, TemplateView):
    template_name = "talent/home.html"
    nav = "talent"
    permission = "talent.view"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        for key, kinds in (("sent", SentKind), ("trained", TrainedKind)):
            rows = figures.by_year_and_kind(user, key)
            years = sorted({r["year"] for r in rows})
            cells = {(r["year"], r["kind"]): r["n"] for r in rows}
            context[key] = {
                "kinds": [label for _value, label in kinds.choices],
                "rows": [(year, [cells.get((year, k), 0) for k in kinds.values],
                          sum(cells.get((year, k), 0) for k in kinds.values)) for year in years],
                "total": sum(r["n"] for r in rows),
            }
        context["can_change"] = can(user, "talent.change")
        return context


class SentListView(TalentSection, TableView):
    model = PersonSent
    filter_form = forms.SentFilterForm
    title = gettext_lazy("People sent")
    related = ("from_org", "to_region", "to_org")
    create_url = "sent_create"
    create_permission = "talent.change"
    csv_name = "people-sent"
    columns = [
        Col(gettext_lazy("Name"), lambda o: o.name, None),
        Col(gettext_lazy("Kind"), lambda o: o.get_kind_display(), None),
        Col(gettext_lazy("Sent by"), lambda o: o.from_org.name, None),
        Col(gettext_lazy("Sent to"), lambda o: o.to_org.name if o.to_org_id else o.to_region.name, None),
        Col(gettext_lazy("Position"), lambda o: o.position, None),
        Col(gettext_lazy("Start"), lambda o: o.start, None),
        Col(gettext_lazy("End"), lambda o: o.end, None),
    ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.model is PersonSent and can(self.request.user, "talent.change"):
            # A secondment still running: its End cell links to the form that ends it.
            for row, obj in zip(context["rows"], context["object_list"], strict=True):
                if obj.end is None:
                    row[-1] = (_("End the secondment"), reverse("sent_end", args=[obj.pk]))
        return context


class TrainedListView(SentListView):
    model = PersonTrained
    filter_form = forms.TrainedFilterForm
    title = gettext_lazy("People trained in the helper city")
    related = ("from_region", "host")
    create_url = "trained_create"
    csv_name = "people-trained"
    columns = [
        Col(gettext_lazy("Name"), lambda o: o.name, None),
        Col(gettext_lazy("Kind"), lambda o: o.get_kind_display(), None),
        Col(gettext_lazy("From"), lambda o: o.from_region.name, None),
        Col(gettext_lazy("Host"), lambda o: o.host.name, None),
        Col(gettext_lazy("Programme"), lambda o: o.programme, None),
        Col(gettext_lazy("Start"), lambda o: o.start, None),
        Col(gettext_lazy("End"), lambda o: o.end, None),
    ]


class SentCreateView(TalentSection, ServiceCreateView):
    form_class = forms.SentForm
    service = services.record_sent
    permission = "talent.change"
    list_url = "sent_list"
    title = gettext_lazy("Record a person sent")


class TrainedCreateView(TalentSection, ServiceCreateView):
    form_class = forms.TrainedForm
    service = services.record_trained
    permission = "talent.change"
    list_url = "trained_list"
    title = gettext_lazy("Record a person trained")

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=_("People of the recipient side trained in the helper city."),
                                        **kwargs)


class SentEndView(TalentSection, ServiceFormView):
    """End a secondment: the person sent has come back."""

    model = PersonSent
    form_class = DateReasonForm
    permission = "talent.change"
    field_map = {"end": "on"}
    success_message = gettext_lazy("The secondment of %(object)s was ended.")

    def get_initial(self):
        return {"on": timezone.localdate()}

    def perform(self, form):
        return services.end_sent(self.request.user, self.object, form.cleaned_data["on"], form.cleaned_data["reason"])

    def success_url_for(self, obj):
        return reverse("sent_list")

    def get_context_data(self, **kwargs):
        person = self.object
        return super().get_context_data(
            title=_("End the secondment"),
            intro=_("%(person)s, sent by %(org)s, in post since %(start)s.") % {
                "person": person, "org": person.from_org.name, "start": person.start},
            back=reverse("sent_list"), **kwargs)
