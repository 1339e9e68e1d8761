"""The platform operator's admin site: enterprises, their staff and filings (enterprise data stays in
the enterprises' own pages and API)."""

from django.contrib import admin

from chuhai.web.organisations.models import EnterpriseFiling, Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "enterprise_kind", "uscc", "province", "city")
    list_filter = ("kind", "enterprise_kind")
    search_fields = ("name", "uscc")
    exclude = ("feed_token_hash",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role",)


@admin.register(EnterpriseFiling)
class EnterpriseFilingAdmin(admin.ModelAdmin):
    list_display = ("organisation", "state", "submitted_on", "approved_on")
    list_filter = ("state",)

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # filings change only through their transitions (audited)
