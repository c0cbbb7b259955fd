"""Pages of the 112 desk, by subtopic.

- ``intake``: the call-taker's screen and the caller history
- ``board``: the dispatcher board, the wall screen and their live fragments
- ``stream``: the server-sent event stream of the board and incident pages
- ``incidents``: an incident's page, dispatch, steps and follow-up complaint
- ``incident_list``: incidents filtered as the command centre's figures link to them
- ``call_list``: calls likewise, without any caller data
- ``blocks``: number blocks (supervisor)
- ``reports``: charts, exports, the regulator list and the monthly PDF
"""

from kotacerdas.emergency.views._common import desk_nav
from kotacerdas.emergency.views.blocks import block_lift, blocks
from kotacerdas.emergency.views.board import board, board_fragment, board_map, wall
from kotacerdas.emergency.views.call_list import call_list
from kotacerdas.emergency.views.incident_list import incident_list
from kotacerdas.emergency.views.incidents import (
    incident_detail,
    incident_dispatch,
    incident_followup,
    incident_step,
)
from kotacerdas.emergency.views.intake import caller_lookup, intake
from kotacerdas.emergency.views.reports import monthly_pdf, report_export, reports
from kotacerdas.emergency.views.stream import _still_allowed, board_stream, event_stream

__all__ = [
    "_still_allowed",
    "block_lift",
    "blocks",
    "board",
    "board_fragment",
    "board_map",
    "board_stream",
    "call_list",
    "caller_lookup",
    "desk_nav",
    "event_stream",
    "incident_detail",
    "incident_dispatch",
    "incident_followup",
    "incident_list",
    "incident_step",
    "intake",
    "monthly_pdf",
    "report_export",
    "reports",
    "wall",
]
