from django.urls import path

from . import views

urlpatterns = [
    path("security/", views.security, name="account_security"),
    path("invitation/<str:token>/", views.invitation, name="accounts_invitation"),
    path("invite/", views.invite, name="accounts_invite"),
]
