# The Power Automate stand-in's own pages: the widget page shell, its errors, and a flow's page.
flow-loading = Loading…
flow-error-title = Error
flow-error = Something went wrong
flow-not-found-title = Not found
flow-not-found = This widget page does not exist
flow-details-title = Flow · Power Automate
flow-details-heading = Flow { $name }
flow-details-environment = Environment { $environment }
flow-details-note = This is the Power Automate sandbox; the flow is managed from the widgets in Flowhost.
flow-connection-title = Connection · Power Automate
flow-connection-made = Connected as { $account }. You can close this window.
flow-connection-failed = The connection was not made: { $reason }
flow-connection-unknown = This sign-in belongs to no connection that is waiting for one. Start again from the flow.
flow-connection-other-tenant = You signed in with an account of another organisation. Sign in with an account of your own organisation.
