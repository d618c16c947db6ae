from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm, UserCreationForm

from .models import AgencySettings, User


def password_rules() -> str:
    """The password validators' rules as plain sentences.

    Django's own help text is an HTML list, which the form-field component cannot show as help.
    """
    return " ".join(password_validation.password_validators_help_texts())


class StaffDetailsForm(forms.ModelForm):
    """A person's name and email, as every staff form asks for them."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Lists, timelines and messages show people by name, so everyone has at least one.
        self.fields["first_name"].required = True
        self.fields["first_name"].error_messages["required"] = "Enter a first name."


class DetailsChangeForm(StaffDetailsForm):
    """A change to someone's name and email that writes only those columns, so a role, status
    or password someone else changed since the page loaded is never put back."""

    def save(self, commit=True):
        user = super().save(commit=False)
        if commit:
            user.save(update_fields=StaffDetailsForm.Meta.fields)
        return user


class ProfileForm(DetailsChangeForm):
    """What everyone may change about themselves (the password has its own page)."""


class TeamMemberForm(DetailsChangeForm):
    """A manager's edit of someone on the team; the role is applied with User.change_role."""

    role = forms.ChoiceField(choices=User.Role.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = self.instance.role


class NewTeamMemberForm(StaffDetailsForm, UserCreationForm):
    """A new counsellor or manager, with a first password checked by Django's validators."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "last_name", "email", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_rules()


class NewPasswordForm(SetPasswordForm):
    """A manager sets someone's password: the new one twice, checked by Django's validators."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = password_rules()


class AgencySettingsForm(forms.ModelForm):
    class Meta:
        model = AgencySettings
        fields = ["counsellors_may_export"]
