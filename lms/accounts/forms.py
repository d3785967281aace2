from allauth.account.forms import ChangePasswordForm as AllauthChangePasswordForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import ResetPasswordKeyForm as AllauthResetPasswordKeyForm
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


MSG_PASSWORDS_DIFFER = _("The two passwords differ.")


class _NewPasswordLabels:
    """HocSo's wording (and Vietnamese) for allauth's new-password fields."""

    def _relabel(self):
        self.fields["password1"].label = _("New password")
        self.fields["password2"].label = _("New password (again)")
        for name in ("password1", "password2", "oldpassword"):
            if name in self.fields:
                self.fields[name].widget.attrs.pop("placeholder", None)
                self.fields[name].help_text = ""

    def clean(self):
        data = super().clean()
        first, second = self.data.get("password1"), self.data.get("password2")
        if first and second and first != second:
            # allauth's own (English-only) message is replaced by ours
            self.errors.pop("password2", None)
            self.add_error("password2", MSG_PASSWORDS_DIFFER)
        return data


class ChangePasswordForm(_NewPasswordLabels, AllauthChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = _("Current password")
        self._relabel()


class ResetPasswordKeyForm(_NewPasswordLabels, AllauthResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._relabel()
