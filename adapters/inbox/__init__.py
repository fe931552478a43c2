"""The local staff inbox at ``/staff`` on Kefu's web server: handoffs without Slack (docs/HANDOFF.md)."""
from adapters.inbox.routes import StaffInbox

__all__ = ["StaffInbox"]
