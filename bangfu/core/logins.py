"""Login lockout (django-axes): failures count per account and address together (AXES_LOCKOUT_PARAMETERS), and per
address over every account, with a higher limit of its own.

Axes applies one limit to every group of lockout parameters, and a success resets the failures of every group it
matches: with the address as a group of its own, a colleague's (or the attacker's own) successful login would wipe
the count of every account tried from that address. So the address is no lockout parameter; this handler adds its
count on the side, from the failure records axes keeps (a success deletes only that account's record there).
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LoginFailureHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The account's failures at this address, or the account limit once the address passes its own."""
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, settings.AXES_FAILURE_LIMIT)
        return failures


def address_failures(request) -> int:
    """Failed logins from the request's address within the cool-off time, for every account tried from it."""
    recent = AccessAttempt.objects.filter(ip_address=request.axes_ip_address,
                                          attempt_time__gte=get_cool_off_threshold(request))
    return recent.aggregate(n=Sum("failures_since_start"))["n"] or 0
