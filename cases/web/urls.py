from django.urls import path

from cases.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
