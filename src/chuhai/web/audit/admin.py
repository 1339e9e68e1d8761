"""The audit trail in the admin site: read-only (append-only model)."""

from django.contrib import admin

from chuhai.web.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "organisation",
        "actor_label",
        "object_type",
        "object_id",
        "vin",
        "transition",
    )
    list_filter = ("object_type", "transition")
    search_fields = ("vin",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
