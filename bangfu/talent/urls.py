from django.urls import path

from bangfu.talent import views

urlpatterns = [
    path("talent/", views.TalentHomeView.as_view(), name="talent_home"),
    path("talent/sent/", views.SentListView.as_view(), name="sent_list"),
    path("talent/sent/new/", views.SentCreateView.as_view(), name="sent_create"),
    path("talent/sent/<int:pk>/end/", views.SentEndView.as_view(), name="sent_end"),
    path("talent/trained/", views.TrainedListView.as_view(), name="trained_list"),
    path("talent/trained/new/", views.TrainedCreateView.as_view(), name="trained_create"),
]
