from django.urls import path

from bangfu.projects import views

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectApplyView.as_view(), name="project_apply"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/step/", views.ProjectStepView.as_view(), name="project_step"),
    path("assets/", views.AssetListView.as_view(), name="asset_list"),
    path("projects/<int:pk>/milestones/new/", views.MilestoneCreateView.as_view(), name="milestone_create"),
    path("projects/<int:pk>/milestones/<int:milestone_id>/done/", views.MilestoneDoneView.as_view(),
         name="milestone_done"),
    path("projects/<int:pk>/beneficiaries/new/", views.BeneficiaryLinkView.as_view(),
         name="project_beneficiaries"),
    path("projects/<int:pk>/dividends/new/", views.DividendView.as_view(), name="project_dividend"),
    path("projects/roll-over/", views.RollOverView.as_view(), name="project_roll_over"),
    path("assets/new/", views.AssetCreateView.as_view(), name="asset_create"),
    path("assets/<int:pk>/edit/", views.AssetEditView.as_view(), name="asset_edit"),
]
