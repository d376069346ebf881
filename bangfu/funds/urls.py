from django.urls import path

from bangfu.funds import views

urlpatterns = [
    path("funds/", views.FundsOverviewView.as_view(), name="funds_overview"),
    path("funds/sources/", views.SourceListView.as_view(), name="fundsource_list"),
    path("funds/sources/new/", views.SourceCreateView.as_view(), name="fundsource_create"),
    path("funds/budgets/", views.BudgetListView.as_view(), name="budget_list"),
    path("funds/budgets/new/", views.BudgetCreateView.as_view(), name="budget_create"),
    path("funds/budgets/<int:pk>/disburse/", views.BudgetDisburseView.as_view(), name="budget_disburse"),
    path("funds/budgets/<int:pk>/adjust/", views.AdjustView.as_view(), name="budget_adjust"),
    path("funds/disbursements/", views.DisbursementListView.as_view(), name="disbursement_list"),
    path("funds/expenditures/", views.ExpenditureListView.as_view(), name="expenditure_list"),
    path("funds/expenditures/<int:pk>/adjust/", views.ExpenditureAdjustView.as_view(),
         name="expenditure_adjust"),
    path("funds/supervision/", views.SupervisionView.as_view(), name="funds_supervision"),
    path("projects/<int:pk>/pay/", views.ProjectSpendView.as_view(), name="project_spend"),
    path("projects/<int:pk>/fund/", views.ProjectFundView.as_view(), name="project_fund"),
]
