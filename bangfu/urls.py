from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from bangfu.core import views as core_views
from bangfu.core.api import api
from bangfu.households import views as household_views
from bangfu.pairing import views as pairing_views
from bangfu.portal import views as portal_views
from bangfu.regions import views as region_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # The web UI.
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", core_views.HomeView.as_view(), name="home"),
    path("modules/<slug:key>/", core_views.ComingView.as_view(), name="coming"),
    path("changelog/", core_views.ChangeLogListView.as_view(), name="changelog_list"),
    path("changelog/<int:pk>/", core_views.ChangeLogDetailView.as_view(), name="changelog_detail"),
    path("regions/", region_views.RegionTreeView.as_view(), name="region_tree"),
    path("regions/<str:pk>/", region_views.RegionDetailView.as_view(), name="region_detail"),
    path("regions/<str:pk>/children/", region_views.RegionChildrenView.as_view(), name="region_children"),
    path("regions/<str:pk>/add/", region_views.SubRegionCreateView.as_view(), name="region_add_child"),
    path("organisations/", region_views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/new/", region_views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisations/<str:code>/", region_views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("organisations/<str:code>/edit/", region_views.OrganisationEditView.as_view(), name="organisation_edit"),
    path("pairings/", pairing_views.PairingListView.as_view(), name="pairing_list"),
    path("pairings/new/", pairing_views.PairingCreateView.as_view(), name="pairing_create"),
    path("pairings/<int:pk>/", pairing_views.PairingDetailView.as_view(), name="pairing_detail"),
    path("pairings/<int:pk>/edit/", pairing_views.PairingEditView.as_view(), name="pairing_edit"),
    path("pairings/<int:pk>/end/", pairing_views.PairingEndView.as_view(), name="pairing_end"),
    path("coverage/", pairing_views.CoverageView.as_view(), name="coverage"),
    path("households/", household_views.HouseholdListView.as_view(), name="household_list"),
    path("households/<int:pk>/", household_views.HouseholdDetailView.as_view(), name="household_detail"),
    path("households/<int:pk>/reveal/", household_views.HouseholdRevealView.as_view(), name="household_reveal"),
    path("households/<int:pk>/open-case/", household_views.OpenCaseView.as_view(), name="household_open_case"),
    path("households/<int:pk>/measures/new/", household_views.MeasureCreateView.as_view(),
         name="household_measure_create"),
    path("households/<int:pk>/measures/<int:measure_id>/edit/", household_views.MeasureEditView.as_view(),
         name="household_measure_edit"),
    path("households/<int:pk>/visits/new/", household_views.VisitCreateView.as_view(), name="household_visit_create"),
    path("households/<int:pk>/income/new/", household_views.IncomeCreateView.as_view(),
         name="household_income_create"),
    path("households/<int:pk>/conditions/new/", household_views.ConditionsCreateView.as_view(),
         name="household_conditions_create"),
    path("members/<int:pk>/reveal/", household_views.MemberRevealView.as_view(), name="member_reveal"),
    path("clues/<int:pk>/", household_views.ClueDetailView.as_view(), name="clue_detail"),
    path("clues/<int:pk>/advance/", household_views.AdvanceView.as_view(), name="clue_advance"),
    path("queue/", household_views.QueueView.as_view(), name="queue"),
    path("queue/screen/", household_views.ScreenView.as_view(), name="queue_screen"),
    path("queue/screen/<str:task_id>/", household_views.ScreenTaskView.as_view(), name="queue_screen_task"),
    path("publicity/", household_views.PublicityIndexView.as_view(), name="publicity_index"),
    path("publicity/<str:code>/", household_views.PublicityView.as_view(), name="publicity_village"),
    path("monitoring-lines/", household_views.MonitoringLineListView.as_view(), name="monitoringline_list"),
    path("monitoring-lines/new/", household_views.MonitoringLineCreateView.as_view(), name="monitoringline_create"),
    path("monitoring-lines/<int:pk>/edit/", household_views.MonitoringLineEditView.as_view(),
         name="monitoringline_edit"),
    # The public disclosure portal: no login.
    path("portal/", portal_views.PortalIndexView.as_view(), name="portal_index"),
    path("portal/<str:code>/", portal_views.CountyView.as_view(), name="portal_county"),
    path("portal/<str:code>/projects/<int:pk>/", portal_views.ProjectView.as_view(), name="portal_project"),
    path("portal/<str:code>/notices/<int:pk>/", portal_views.NoticeView.as_view(), name="portal_notice"),
    path("lookup/regions/", region_views.lookup_regions, name="lookup_regions"),
    path("lookup/organisations/", region_views.lookup_organisations, name="lookup_organisations"),
    path("lookup/recipients/", pairing_views.lookup_recipients, name="lookup_recipients"),
]
