from django.urls import path

from bangfu.households import views

urlpatterns = [
    path("households/", views.HouseholdListView.as_view(), name="household_list"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household_detail"),
    path("households/<int:pk>/reveal/", views.HouseholdRevealView.as_view(), name="household_reveal"),
    path("households/<int:pk>/open-case/", views.OpenCaseView.as_view(), name="household_open_case"),
    path("households/<int:pk>/measures/new/", views.MeasureCreateView.as_view(),
         name="household_measure_create"),
    path("households/<int:pk>/measures/<int:measure_id>/edit/", views.MeasureEditView.as_view(),
         name="household_measure_edit"),
    path("households/<int:pk>/visits/new/", views.VisitCreateView.as_view(), name="household_visit_create"),
    path("households/<int:pk>/income/new/", views.IncomeCreateView.as_view(),
         name="household_income_create"),
    path("households/<int:pk>/conditions/new/", views.ConditionsCreateView.as_view(),
         name="household_conditions_create"),
    path("members/<int:pk>/reveal/", views.MemberRevealView.as_view(), name="member_reveal"),
    path("clues/<int:pk>/", views.ClueDetailView.as_view(), name="clue_detail"),
    path("clues/<int:pk>/advance/", views.AdvanceView.as_view(), name="clue_advance"),
    path("queue/", views.QueueView.as_view(), name="queue"),
    path("queue/screen/", views.ScreenView.as_view(), name="queue_screen"),
    path("queue/screen/<str:task_id>/", views.ScreenTaskView.as_view(), name="queue_screen_task"),
    path("publicity/", views.PublicityIndexView.as_view(), name="publicity_index"),
    path("publicity/<str:code>/", views.PublicityView.as_view(), name="publicity_village"),
    path("monitoring-lines/", views.MonitoringLineListView.as_view(), name="monitoringline_list"),
    path("monitoring-lines/new/", views.MonitoringLineCreateView.as_view(), name="monitoringline_create"),
    path("monitoring-lines/<int:pk>/edit/", views.MonitoringLineEditView.as_view(),
         name="monitoringline_edit"),
]
