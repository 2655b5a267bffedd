from django.contrib.auth import views as auth_views
from django.urls import path

from refairn.accounts import account_views, password_views, signin_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", signin_views.SignInView.as_view(), name="login"),
    path("login/code/", signin_views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("account/tokens/", account_views.tokens, name="tokens"),
    path("account/tokens/<str:token_id>/revoke/", account_views.token_revoke, name="token_revoke"),
    path("account/two-factor/", account_views.two_factor, name="two_factor"),
    path("account/email/", account_views.email, name="email"),
    path("account/time-zone/", account_views.time_zone, name="time_zone"),
    path(
        "account/email/verify/<str:uidb64>/<str:token>/",
        account_views.email_verify,
        name="email_verify",
    ),
    path("account/password/", password_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", password_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        password_views.PasswordResetSentView.as_view(),
        name="password_reset_sent",
    ),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        password_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        password_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
