# The ISV console: its rules for a placement.
rule-at-most-characters = At most { $max } characters.
rule-placeholder-unknown = { $placeholder } is not a placeholder; use one of { $known }.
rule-placeholder-unclosed = { $placeholder } is never closed with {"}"}.
rule-placeholder-not-on-page = { $placeholder } cannot be filled on the { $page }.
rule-not-a-filter = Not a filter Power Automate understands: { $reason }.
rule-not-a-parameter-name = “{ $name }” is not a parameter name such as parameters.flowhost.accountId.
rule-not-a-parameter-line = “{ $line }” is not a line such as parameters.flowhost.accountId={"{"}account.id{"}"}.
rule-trigger-kind = Either a template or a flow.
rule-key = 1 to 40 lower-case letters, digits and hyphens.
rule-key-reserved = “{ $key }” names a page of the console; choose another key.
rule-key-taken = Another placement has this key.
rule-slot = One of: { $slots }.
rule-order = A whole number from -1000 to 1000.
rule-title-required = A title is required.

# The console's notices after a form.
history-changed-since = The configuration changed since you opened the history; look at it again before restoring.
history-restored = Version { $version } restored as version { $saved }.
history-restore-stale = Someone else saved a change first; nothing was restored. Look at the history again.
placement-previewed = Previewed below; nothing is saved until you save.
placement-preview-failed = The preview could not be shown.
placement-conflict = Someone else saved a change first (version { $version }, by { $author }). Nothing of yours was saved; your input is kept below. Open the placement again to see the current settings, then save again.
placement-conflict-unknown = Someone else saved a change first; your input is kept below.
placement-saved = Saved as version { $version }.
placement-unchanged = Nothing changed, so nothing was saved.
import-refused = Nothing was imported: the file has { $count ->
    [one] { $count } problem
   *[other] { $count } problems
}.
import-checked = The file passed every check. See what it changes below, then apply it.
import-stale = The configuration changed since you checked the file; check it again.
import-done = The file was imported as version { $version }.
config-unreadable = { $count ->
    [one] Version { $versions } could not be read
   *[other] Versions { $versions } could not be read
}: { $why }; { $used ->
    [0] pages use the seeded configuration.
   *[other] pages use version { $used }.
}
preview-choose-organisation = Choose an organisation.
preview-no-such-organisation = No such organisation.
preview-not-a-number = “{ $typed }” is not a record number.
preview-no-such-record = { $organisation } has no such record.
preview-unresolved = This placement cannot be shown for the record: { $reason }
preview-not-recorded = Flowhost cannot record this preview in the organisation's audit, so it is not shown.
preview-database-unavailable = Flowhost cannot reach its database.

# The console's pages.
console-nav-label = Console
console-nav-widgets = Widgets
console-nav-history = History
console-nav-import = Import
console-nav-export = Export
console-list-title = Widgets · Console
console-list-heading = Widgets
console-add-placement = Add a placement
console-version = Version { $version } · saved by { $author } · { $at }
console-seen-by = As seen by
console-every-organisation = Every organisation (the defaults)
console-show = Show
console-field-key = Key
console-field-page = Page
console-field-slot = Slot
console-field-widget = Widget
console-field-title = Title
console-field-order = Order
console-field-shown = Shown
console-column-organisation = For this organisation
console-shown-yes = yes
console-shown-no = no
console-inherited = inherited
console-overridden-fields = overridden: { $fields }
console-origin-overridden = overridden (the default is “{ $default }”)
console-edit = Edit
console-column-actions = Actions
console-new-placement = New { $widget } placement
console-placement-for = { $key } for { $organisation }
console-placement = Placement { $key }
console-on-the-page = on the
console-choose = Choose
console-choose-widget-type = Choose a widget type first.
console-key-hint = Lower-case letters, digits and hyphens; it never changes.
console-order-hint = Lower numbers come first.
console-preview-legend = Preview for a record
console-preview-organisation = Organisation
console-preview-account = Account id
console-preview-ticket = Ticket id
console-preview-hint = Empty: the organisation's first account and its newest ticket.
console-save = Save
console-preview-button = Preview
console-inherit-everything = Inherit everything
console-remove = Remove
console-preview-heading = Preview
console-preview-for = For { $record }. The widget below runs as you, in your own default environment.
preview-record-ticket = { $organisation } · { $account } · ticket #{ $ticket }
preview-record-account = { $organisation } · { $account }
preview-record-organisation = { $organisation }
console-history-title = History · Console
console-history-heading = History
console-history-version = Version { $version }
console-history-current = current
console-restore-version = Restore version { $version }
console-import-title = Import · Console
console-import-heading = Import a configuration
console-import-lead = Paste a file exported from a Flowhost instance. Everything in it is checked first; then you see what it changes, and it is applied all at once or not at all.
console-import-changes = What applying it changes
console-import-no-changes = Nothing: it is the configuration in use.
console-import-apply = Apply it
console-import-file = Exported file
console-import-check = Check it
console-import-in-use = The configuration in use is version { $version }.

# What a version of the configuration changed, as the history and the import list it.
change-added = Added { $key } “{ $title }” ({ $widget }) to the { $page }
change-removed = Removed { $key } “{ $title }” from the { $page }
change-field = { $key }: { $field } “{ $old }” → “{ $new }”
change-overridden = { $organisation }: { $key }: { $field } overridden “{ $value }”
change-inherited = { $organisation }: { $key }: { $field } inherited again
change-on = on
change-off = off
change-restored = Restored version { $version }
change-imported = Imported a configuration
change-seeded = Seeded configuration
# A change recorded as text, shown as it was written.
change-as-recorded = { $text }

# What an import refuses, each naming its placement (and organisation).
import-key-twice = { $key }: the key is used twice
import-problem = { $key }: { $field }: { $message }
import-no-such-placement = { $tenant }: { $key }: no such placement to override
import-override-unusable = { $tenant }: { $key }: { $message }
import-override-problem = { $tenant }: { $key }: { $field }: { $message }
import-not-an-export = This is not a widget configuration export: { $reason }.
import-other-format = This file is format "{ $format }" version { $version }; Flowhost reads "{ $expected }" version { $expected_version }.
console-nav-subscriptions = Subscriptions
console-subscriptions-title = Subscriptions · Console
console-subscriptions-heading = Marketplace subscriptions
console-subscriptions-none = No organisation has bought Flowhost on the marketplace yet.
console-subscriptions-trial = Free trial
console-subscriptions-term = Term
console-subscriptions-term-span = { $start } to { $end }
console-subscriptions-deletion = Data
console-subscriptions-deleted-after = Ended: deleted after { $date }
console-subscriptions-deleted = Deleted on { $date }
console-subscriptions-history = History of { $organisation }
