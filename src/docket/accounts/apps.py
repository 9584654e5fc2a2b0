from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "docket.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from docket.accounts.middleware import remember_epoch

        user_logged_in.connect(remember_epoch, dispatch_uid="docket.remember_epoch")
