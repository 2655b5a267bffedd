from django import forms


class BusinessForm(forms.Form):
    name = forms.CharField(label="Business name", max_length=200)
