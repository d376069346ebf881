from django.urls import path

from bangfu.portal import views

urlpatterns = [
    path("portal/", views.PortalIndexView.as_view(), name="portal_index"),
    path("portal/<str:code>/", views.CountyView.as_view(), name="portal_county"),
    path("portal/<str:code>/projects/<int:pk>/", views.ProjectView.as_view(), name="portal_project"),
    path("portal/<str:code>/notices/<int:pk>/", views.NoticeView.as_view(), name="portal_notice"),
    path("projects/<int:pk>/notices/new/", views.ProjectNoticeView.as_view(), name="project_notice"),
]
