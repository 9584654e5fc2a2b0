from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "docket.crypto"
    label = "crypto"
