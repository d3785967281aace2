from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form with HocSo's labels: imported officers' usernames are their employee numbers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.CharField(
            label=_("Username or employee number"),
            max_length=254,
            widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
        )
        self.fields["password"].label = _("Password")
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.order_fields(["login", "password"])


class ResetPasswordForm(AllauthResetPasswordForm):
    """The same answer whether or not the address belongs to anyone (allauth's ``PREVENT_ENUMERATION``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Your work e-mail address")
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "autofocus": True})
        self.fields["email"].widget.attrs.pop("placeholder", None)

    def clean_email(self) -> str:
        # The HR export keeps addresses as typed ("Nhung.Nguyen@..."): match them whatever their case.
        email = self.cleaned_data["email"].strip()
        self.users = list(get_user_model().objects.filter(email__iexact=email, is_active=True))
        return email
