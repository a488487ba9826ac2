# Records: the names of fields, and the values a field takes.
field-title = Title
field-description = Description
field-requester = Requester
field-status = Status
field-priority = Priority
field-page = The page
field-widget-type = The widget type
field-event-kind = The event kind
field-approval-state = The approval status

field-comment = Comment
field-comment-via = Written by
comment-via-person = A person
comment-via-flow = A flow

field-hook-event = The trigger
hook-event-ticket-created = When a ticket is created
hook-event-ticket-status-changed = When a ticket's status changes
hook-event-comment-added = When a comment is added

status-open = Open
status-pending = Pending
status-resolved = Resolved
status-closed = Closed

priority-low = Low
priority-normal = Normal
priority-high = High
priority-urgent = Urgent

tier-standard = Standard
tier-premium = Premium
tier-enterprise = Enterprise

page-kind-account = Account page
page-kind-ticket = Ticket page
page-kind-flows = My flows page
page-kind-approvals = Approvals page

widget-type-flows = Flows
widget-type-flow-creation = Flow creation
widget-type-flows-runtime = Run a flow
widget-type-approval-center = Approvals
widget-type-templates = Templates

event-flow-linked = Flow created
event-run-completed = Flow run
event-approval = Approval

approval-pending = waiting
approval-approved = approved
approval-rejected = rejected

field-name = Name
field-website = Website
field-tier = Tier
field-owner = Owner
field-open-tickets = Open tickets
field-opened = Opened
field-updated = Updated

# How a flow's run ended, as Power Automate reports its status.
run-status-succeeded = succeeded
run-status-failed = failed
run-status-cancelled = cancelled
run-status-running = running
run-status-waiting = waiting
run-status-skipped = skipped
run-status-suspended = suspended
run-status-timed-out = timed out
run-status-aborted = aborted
run-status-faulted = faulted
