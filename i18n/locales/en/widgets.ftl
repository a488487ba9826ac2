# The widget area: its messages, and the texts the widgets ask for (GET_STRINGS).
widget-sdk-create-button = Create the flow
widget-sdk-create-header = Automate this record
widget-sdk-run-header = Run a flow on this record
widget-sdk-run-button = Run the flow
widget-loading = Loading Power Automate…
widget-needs-javascript = The Power Automate widgets need JavaScript. Turn it on to create, run and approve flows here; the rest of the page works without it.
widget-unreachable = Power Automate could not be reached. Check your connection and try again; the rest of this page keeps working.
widget-not-started = The Power Automate widget did not start. This usually means your browser blocks third-party cookies for the Power Automate site: allow cookies for it (in Chrome: Settings › Privacy and security › Third-party cookies › Sites allowed to use third-party cookies), then try again.
widget-sign-in-refused = Power Automate did not accept your sign-in. Reconnect to Power Automate; if it keeps happening, contact your administrator.
widget-rejected = Power Automate could not be started on this page; your administrator has been told.
widget-reconnect = Your connection to Power Automate has expired. Reconnect to continue; you will come back to this page.
widget-not-provisioned = Power Automate is not set up for your organisation yet. Ask your administrator to open Power Automate once, then try again.
widget-token-unavailable = Flowhost cannot get you into Power Automate right now. Try again in a minute.
widget-closed = This panel is closed.
widget-retry = Try again
widget-reconnect-button = Reconnect to Power Automate
widget-open = Open again
widget-action-failed = The flow could not be started: { $reason }
widget-token-refused = Flowhost could not get a Power Automate token.
# Why a widget could not be shown or told to act, when the SDK gives no reason of its own.
widget-sdk-not-loaded = the Power Automate SDK did not load
widget-sdk-cannot-render = the Power Automate SDK has no renderWidget
widget-not-shown = the widget could not be shown
widget-cannot-act = the widget cannot be told anything
widget-no-answer = the widget gave no answer
widget-not-ready = the widget is not ready
