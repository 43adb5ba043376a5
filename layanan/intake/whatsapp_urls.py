"""The WhatsApp webhook, under ``masuk/whatsapp/`` (public: Meta calls it, signed)."""

from django.urls import path

from . import webhook

app_name = "intake_whatsapp"

urlpatterns = [path("webhook/", webhook.whatsapp_webhook, name="webhook")]
