from django import forms


class BusinessForm(forms.Form):
    name = forms.CharField(label="Business name", max_length=200)


class StaffInviteForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(
        choices=[
            ("manager", "Manager: runs the program, decides applications and certifications"),
            ("reviewer", "Reviewer: grades open answers"),
            ("security", "Security: handles security escalations"),
        ]
    )


class CustomerInviteForm(forms.Form):
    email = forms.EmailField(
        label="Customer's e-mail address",
        help_text="The address on the customer's record; they get a link to the customer portal.",
    )
