# What every page shows while its data loads, and the pager of a long list.
page-loading = Loading…
page-breadcrumb = Breadcrumb
pager-label = Pages
pager-previous = ← Previous
pager-next = Next →
pager-status = Page { $page } of { $count }

# The home page.
home-heading = Your service desk, with Power Automate where your records are
home-lead = Flowhost keeps your customers' accounts and tickets. Open a record to work on it.
home-open-accounts = Open accounts

# The list of accounts.
accounts-title = Accounts
accounts-search-label = Search accounts by name
accounts-search-placeholder = Search by name
accounts-search = Search
accounts-none = No accounts yet.
accounts-none-match = No accounts match “{ $search }”.
accounts-count = { $count ->
    [one] { $count } account
   *[other] { $count } accounts
}

# An account and its tickets.
account-new-ticket = New ticket
account-tickets = Tickets
account-no-tickets = No tickets yet.

# A ticket, and a new one.
ticket-no-description = No description.
ticket-comments = Comments
ticket-no-comments = No comments yet.
ticket-add-comment = Add a comment
ticket-comment-submit = Comment
ticket-comments-more = Only the first { $count } comments are shown.
comment-by-flow = A flow, on behalf of { $name }
ticket-change = Change
ticket-save-changes = Save changes
new-ticket-title = New ticket for { $account }
new-ticket-heading = New ticket
new-ticket-create = Create ticket
new-ticket-cancel = Cancel

# The pages of the user's own flows and approvals.
flows-title = My flows
flows-lead = Every flow you have in Power Automate, wherever you made it.
approvals-title = Approvals
approvals-lead = Approvals waiting for you, and the ones you asked for.

# An organisation's settings, for its administrators.
settings-title = Settings
settings-heading = { $organisation } settings
settings-power-automate = Power Automate
settings-organisation = Organisation
settings-tenant-id = Tenant id
settings-people = People who have signed in
settings-email = E-mail
settings-roles = Roles
settings-last-seen = Last seen
settings-no-roles = User

# An organisation's Power Automate settings.
tenant-flows-title = Power Automate · Settings
tenant-flows-heading = Power Automate for { $organisation }
tenant-flows-environment = Environment
tenant-flows-environment-hint = The Power Automate environment your widgets use, and where pre-built flows are installed.
tenant-flows-widgets = Widgets your people see
tenant-flows-shown = Shown
tenant-flows-page = Page
tenant-flows-widget = Widget
tenant-flows-show = Show { $title }
tenant-flows-save = Save
tenant-flows-staff-heading = Flowhost staff access to your records
tenant-flows-staff-hint = Every preview of a widget that Flowhost's staff made with one of your accounts or tickets, newest first (at most { $max }).
tenant-flows-staff-none = Flowhost's staff have not previewed any of your records.
tenant-flows-staff-entry = { $staff } of Flowhost previewed { $record } on { $at }.

# The staff's previews of customer records, in the console's history.
staff-previews-heading = Previews of customer records
staff-previews-hint = Every preview that showed an organisation's account or ticket, newest first (at most { $max }). Each organisation's admins see their own on their Power Automate settings.
staff-previews-none = No customer record has been previewed.
staff-previews-entry = { $at } · { $staff } previewed { $organisation }'s { $record }
staff-preview-account = account #{ $id } ({ $name })
staff-preview-ticket = ticket #{ $id } of { $account }

# The Power Automate part of a page: its widgets, and what they left on the record.
power-automate-label = Power Automate
power-automate-unavailable = The Power Automate widgets cannot be shown: { $reason }
activity-unavailable = The record's flow activity cannot be shown right now.
activity-approvals-waiting = Approvals waiting
activity-approvals-decided = Approvals decided
activity-flows-on-ticket = Flows made on this ticket
activity-flows-on-account = Flows made on this account
activity-no-flows = No flows yet. Create one with the widgets above.
activity-unnamed-flow = Flow
activity-heading = Activity
activity-none = Nothing has happened here in Power Automate yet.
activity-flow-linked = { $actor } created the flow “{ $flow }”
activity-flow-linked-unnamed = { $actor } created a flow
activity-run = { $actor } ran “{ $flow }”: { $outcome }
activity-run-unnamed = { $actor } ran a flow: { $outcome }
activity-approval-waiting = Approval “{ $subject }” is { $state }
activity-approval-decided = Approval “{ $subject }” { $state } by { $actor }
activity-reported-by-approvals = reported by the approvals widget
activity-reported-by-widget = reported by a widget
