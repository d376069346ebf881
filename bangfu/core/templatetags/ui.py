"""Small template helpers of the web UI: icons (inline SVG, drawn after Tabler Icons), durations, scrubbed text."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from bangfu.core.identity import scrub

register = template.Library()

# Stroke paths on a 24×24 grid, in the style of Tabler Icons (MIT licence).
ICONS = {
    "home": ["M5 12l-2 0l9 -9l9 9l-2 0", "M5 12v7a2 2 0 0 0 2 2h10a2 2 0 0 0 2 -2v-7",
             "M9 21v-6a2 2 0 0 1 2 -2h2a2 2 0 0 1 2 2v6"],
    "link": ["M9 15l6 -6", "M11 6l.463 -.536a5 5 0 0 1 7.071 7.072l-.534 .464",
             "M13 18l-.397 .534a5.068 5.068 0 0 1 -7.127 0a4.972 4.972 0 0 1 0 -7.071l.524 -.463"],
    "target": ["M12 12m-1 0a1 1 0 1 0 2 0a1 1 0 1 0 -2 0", "M12 12m-5 0a5 5 0 1 0 10 0a5 5 0 1 0 -10 0",
               "M12 12m-9 0a9 9 0 1 0 18 0a9 9 0 1 0 -18 0"],
    "map": ["M3 7l6 -3l6 3l6 -3v13l-6 3l-6 -3l-6 3v-13", "M9 4v13", "M15 7v13"],
    "building": ["M3 21l18 0", "M9 8l1 0", "M9 12l1 0", "M9 16l1 0", "M14 8l1 0", "M14 12l1 0", "M14 16l1 0",
                 "M5 21v-16a2 2 0 0 1 2 -2h10a2 2 0 0 1 2 2v16"],
    "coin": ["M12 12m-9 0a9 9 0 1 0 18 0a9 9 0 1 0 -18 0",
             "M14.8 9a2 2 0 0 0 -1.8 -1h-2a2 2 0 1 0 0 4h2a2 2 0 1 1 0 4h-2a2 2 0 0 1 -1.8 -1", "M12 7v10"],
    "clipboard": ["M9 5h-2a2 2 0 0 0 -2 2v12a2 2 0 0 0 2 2h10a2 2 0 0 0 2 -2v-12a2 2 0 0 0 -2 -2h-2",
                  "M9 5a2 2 0 0 1 2 -2h2a2 2 0 0 1 2 2a2 2 0 0 1 -2 2h-2a2 2 0 0 1 -2 -2z", "M9 12l.01 0",
                  "M13 12l2 0", "M9 16l.01 0", "M13 16l2 0"],
    "users": ["M5 7a4 4 0 1 0 8 0a4 4 0 1 0 -8 0", "M3 21v-2a4 4 0 0 1 4 -4h4a4 4 0 0 1 4 4v2",
              "M16 3.13a4 4 0 0 1 0 7.75", "M21 21v-2a4 4 0 0 0 -3 -3.85"],
    "user": ["M8 7a4 4 0 1 0 8 0a4 4 0 0 0 -8 0", "M6 21v-2a4 4 0 0 1 4 -4h4a4 4 0 0 1 4 4v2"],
    "briefcase": ["M3 9a2 2 0 0 1 2 -2h14a2 2 0 0 1 2 2v9a2 2 0 0 1 -2 2h-14a2 2 0 0 1 -2 -2z",
                  "M8 7v-2a2 2 0 0 1 2 -2h4a2 2 0 0 1 2 2v2", "M12 12l0 .01", "M3 13a20 20 0 0 0 18 0"],
    "cart": ["M4 19a2 2 0 1 0 4 0a2 2 0 1 0 -4 0", "M15 19a2 2 0 1 0 4 0a2 2 0 1 0 -4 0", "M17 17h-11v-14h-2",
             "M6 5l14 1l-1 7h-13"],
    "school": ["M22 9l-10 -4l-10 4l10 4l10 -4v6", "M6 10.6v5.4a6 3 0 0 0 12 0v-5.4"],
    "factory": ["M4 21c1.147 -4.02 1.983 -8.027 2 -12h6c.017 3.973 .853 7.98 2 12",
                "M12.5 13h4.5c.025 2.612 .894 5.296 2 8",
                "M9 5a2.4 2.4 0 0 1 2 -1a2.4 2.4 0 0 1 2 1a2.4 2.4 0 0 0 2 1a2.4 2.4 0 0 0 2 -1a2.4 2.4 0 0 1 2 -1"
                "a2.4 2.4 0 0 1 2 1", "M3 21l19 0"],
    "flag": ["M5 5a5 5 0 0 1 7 0a5 5 0 0 0 7 0v9a5 5 0 0 1 -7 0a5 5 0 0 0 -7 0v-9z", "M5 21v-7"],
    "report": ["M14 3v4a1 1 0 0 0 1 1h4", "M17 21h-10a2 2 0 0 1 -2 -2v-14a2 2 0 0 1 2 -2h7l5 5v11a2 2 0 0 1 -2 2z",
               "M9 17l0 -5", "M12 17l0 -1", "M15 17l0 -3"],
    "chart": ["M3 13a1 1 0 0 1 1 -1h4a1 1 0 0 1 1 1v6a1 1 0 0 1 -1 1h-4a1 1 0 0 1 -1 -1z",
              "M15 9a1 1 0 0 1 1 -1h4a1 1 0 0 1 1 1v10a1 1 0 0 1 -1 1h-4a1 1 0 0 1 -1 -1z",
              "M9 5a1 1 0 0 1 1 -1h4a1 1 0 0 1 1 1v14a1 1 0 0 1 -1 1h-4a1 1 0 0 1 -1 -1z", "M4 20h14"],
    "trending-up": ["M3 17l6 -6l4 4l8 -8", "M14 7l7 0l0 7"],
    "trending-down": ["M3 7l6 6l4 -4l8 8", "M21 10l0 7l-7 0"],
    "speakerphone": ["M18 8a3 3 0 0 1 0 6", "M10 8v11a1 1 0 0 1 -1 1h-1a1 1 0 0 1 -1 -1v-5",
                     "M12 8h0l4.524 -3.77a.9 .9 0 0 1 1.476 .692v12.156a.9 .9 0 0 1 -1.476 .692l-4.524 -3.77h-8"
                     "a1 1 0 0 1 -1 -1v-4a1 1 0 0 1 1 -1h8"],
    "history": ["M12 8l0 4l2 2", "M3.05 11a9 9 0 1 1 .5 4m-.5 5v-5h5"],
    "shield": ["M12 3a12 12 0 0 0 8.5 3a12 12 0 0 1 -8.5 15a12 12 0 0 1 -8.5 -15a12 12 0 0 0 8.5 -3"],
    "plus": ["M12 5l0 14", "M5 12l14 0"],
    "edit": ["M4 20h4l10.5 -10.5a2.828 2.828 0 1 0 -4 -4l-10.5 10.5v4", "M13.5 6.5l4 4"],
    "upload": ["M4 17v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2 -2v-2", "M7 9l5 -5l5 5", "M12 4l0 12"],
    "download": ["M4 17v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2 -2v-2", "M7 11l5 5l5 -5", "M12 4l0 12"],
    "search": ["M3 10a7 7 0 1 0 14 0a7 7 0 1 0 -14 0", "M21 21l-6 -6"],
    "chevron-right": ["M9 6l6 6l-6 6"],
    "arrow-right": ["M5 12l14 0", "M13 18l6 -6", "M13 6l6 6"],
    "logout": ["M14 8v-2a2 2 0 0 0 -2 -2h-7a2 2 0 0 0 -2 2v12a2 2 0 0 0 2 2h7a2 2 0 0 0 2 -2v-2",
               "M9 12h12l-3 -3", "M18 15l3 -3"],
    "key": ["M16.555 3.843l3.602 3.602a2.877 2.877 0 0 1 0 4.069l-2.643 2.643a2.877 2.877 0 0 1 -4.069 0l-.301 -.301"
            "l-6.558 6.558a2 2 0 0 1 -1.239 .578l-.175 .008h-1.172a1 1 0 0 1 -.993 -.883l-.007 -.117v-1.172"
            "a2 2 0 0 1 .467 -1.284l.119 -.13l.414 -.414h2v-2h2v-2l2.144 -2.144l-.301 -.301a2.877 2.877 0 0 1 0 -4.069"
            "l2.643 -2.643a2.877 2.877 0 0 1 4.069 0z", "M15 9h.01"],
    "language": ["M4 5h7", "M9 3v2c0 4.418 -2.239 8 -5 8", "M5 9c0 2.144 2.952 3.908 6.7 4", "M12 20l4 -9l4 9",
                 "M19.1 18h-6.2"],
    "stop": ["M3 12a9 9 0 1 0 18 0a9 9 0 1 0 -18 0", "M9 9h6v6h-6z"],
    "hourglass": ["M6.5 7h11", "M6.5 17h11", "M6 20v-2a6 6 0 1 1 12 0v2a1 1 0 0 1 -1 1h-10a1 1 0 0 1 -1 -1z",
                  "M6 4v2a6 6 0 1 0 12 0v-2a1 1 0 0 0 -1 -1h-10a1 1 0 0 0 -1 1z"],
    "check": ["M5 12l5 5l10 -10"],
    "alert": ["M12 9v4", "M10.363 3.591l-8.106 13.534a1.914 1.914 0 0 0 1.636 2.871h16.214a1.914 1.914 0 0 0 "
              "1.636 -2.87l-8.106 -13.536a1.914 1.914 0 0 0 -3.274 0z", "M12 16h.01"],
    "lock": ["M5 13a2 2 0 0 1 2 -2h10a2 2 0 0 1 2 2v6a2 2 0 0 1 -2 2h-10a2 2 0 0 1 -2 -2v-6z",
             "M11 16a1 1 0 1 0 2 0a1 1 0 0 0 -2 0", "M8 11v-4a4 4 0 1 1 8 0v4"],
    "tree": ["M3 17a2 2 0 0 1 2 -2h2a2 2 0 0 1 2 2v2a2 2 0 0 1 -2 2h-2a2 2 0 0 1 -2 -2z",
             "M15 17a2 2 0 0 1 2 -2h2a2 2 0 0 1 2 2v2a2 2 0 0 1 -2 2h-2a2 2 0 0 1 -2 -2z",
             "M9 5a2 2 0 0 1 2 -2h2a2 2 0 0 1 2 2v2a2 2 0 0 1 -2 2h-2a2 2 0 0 1 -2 -2z",
             "M6 15v-1a2 2 0 0 1 2 -2h8a2 2 0 0 1 2 2v1", "M12 9l0 3"],
    "filter": ["M4 4h16v2.172a2 2 0 0 1 -.586 1.414l-4.414 4.414v7l-6 2v-8.5l-4.48 -4.928a2 2 0 0 1 -.52 -1.345"
               "v-2.227z"],
    "x": ["M18 6l-12 12", "M6 6l12 12"],
}


@register.simple_tag
def icon(name, size=24, css="icon"):
    """An inline SVG icon; unknown names draw nothing rather than fail a page."""
    paths = ICONS.get(name)
    if not paths:
        return ""
    body = "".join(format_html('<path d="{}"/>', d) for d in paths)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{}" width="{}" height="{}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">'
        "{}</svg>",
        css, size, size, mark_safe(body),
    )


@register.filter
def scrubbed(text):
    """Free text with any ID or mobile number in it masked (core.identity.scrub)."""
    return scrub(text)


@register.filter
def minutes(delta):
    """A timedelta as whole minutes (the lockout page says how long to wait)."""
    try:
        return max(1, round(delta.total_seconds() / 60))
    except AttributeError:
        return delta


KIND_COLORS = {
    "counterpart": "red", "east_west": "blue", "in_province": "green", "hand_in_hand": "orange",
    "enterprise_village": "purple", "school": "cyan", "hospital": "pink", "village": "teal",
}
ACTION_COLORS = {"create": "green", "update": "blue", "delete": "red"}
LEVEL_COLORS = {"province": "indigo", "prefecture": "blue", "county": "azure", "township": "teal", "village": "lime"}


@register.simple_tag
def kind_badge(pairing):
    color = KIND_COLORS.get(pairing.kind, "secondary")
    return format_html('<span class="badge bg-{}-lt">{}</span>', color, pairing.get_kind_display())


@register.simple_tag
def level_badge(region):
    color = LEVEL_COLORS.get(region.level, "secondary")
    return format_html('<span class="badge bg-{}-lt">{}</span>', color, region.get_level_display())


@register.simple_tag
def action_badge(entry):
    color = ACTION_COLORS.get(entry.action, "secondary")
    return format_html('<span class="badge bg-{}-lt">{}</span>', color, entry.get_action_display())


@register.simple_tag
def status_badge(pairing):
    """Active, ended or not yet started, as of today."""
    from django.utils import timezone
    from django.utils.translation import gettext

    today = timezone.localdate()
    if pairing.start > today:
        color, label = "yellow", gettext("Not started")
    elif pairing.end is not None and pairing.end < today:
        color, label = "secondary", gettext("Ended")
    else:
        color, label = "green", gettext("Active")
    return format_html('<span class="badge bg-{}-lt"><span class="status-dot status-{} me-1"></span>{}</span>',
                       color, color, label)


@register.filter
def json_value(value):
    """A logged value as text: strings as they are, other values as JSON."""
    import json

    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
