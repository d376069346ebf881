from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from bangfu.core.admin import AuditedAdmin
from bangfu.pairing.models import Pairing
from bangfu.pairing.services import check_pairing


class PairingAdminForm(forms.ModelForm):
    class Meta:
        model = Pairing
        fields = ["kind", "helper", "recipient_region", "recipient_org", "start", "end", "notes"]

    def _post_clean(self):
        super()._post_clean()
        try:
            check_pairing(self.instance)  # the same invariants as the UI and the API
        except ValidationError as exc:
            self._update_errors(exc)
        except (Pairing.helper.RelatedObjectDoesNotExist, Pairing.recipient_region.RelatedObjectDoesNotExist):
            pass  # a missing required field is reported by the form already


@admin.register(Pairing)
class PairingAdmin(AuditedAdmin):
    form = PairingAdminForm
    list_display = ["helper", "recipient_region", "recipient_org", "kind", "start", "end"]
    list_filter = ["kind"]
    search_fields = ["helper__name", "recipient_region__name", "recipient_region__code"]
    raw_id_fields = ["helper", "recipient_region", "recipient_org"]
