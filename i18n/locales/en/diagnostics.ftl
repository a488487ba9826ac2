# The ISV console's diagnostics page, and the console's notice of rejected widgets.
console-nav-diagnostics = Diagnostics
console-rejected-notice = Power Automate widgets were rejected { $reports ->
    [one] once
   *[other] { $reports } times
} on customers' pages, last on { $at }: the SDK { $version } served by { $host } (FLOW_HOST) does not accept its own widgets there. Set FLOW_HOST to a host whose SDK accepts them (https://make.powerautomate.com serves the current SDK) and restart Flowhost.
console-rejected-link = Open the diagnostics
diagnostics-title = Diagnostics · Flowhost console
diagnostics-heading = Diagnostics
diagnostics-settings-heading = Power Automate settings
diagnostics-flow-host-term = FLOW_HOST
diagnostics-flow-host-note = where the Power Automate SDK and the widgets come from
diagnostics-flow-resource-term = FLOW_RESOURCE
diagnostics-flow-resource-note = the resource the widgets' access tokens are for
diagnostics-script-term = SDK script
diagnostics-test-heading = Test widget
diagnostics-test-intro = The checks run in your browser with a My flows widget, as you, in your own environment. Reload the page to run them again.
diagnostics-widget-title = My flows (test)
diagnostics-steps-label = Steps of the test widget
diagnostics-step-script = Load the SDK script from the Flow host
diagnostics-step-generation = SDK generation the Flow host serves
diagnostics-step-frame = Show the test widget
diagnostics-step-messages = The widget's requests reach Flowhost
diagnostics-step-token = An access token for the widget
diagnostics-step-ready = The widget says it is ready
diagnostics-result-waiting = waiting
diagnostics-result-passed = passed
diagnostics-result-failed = failed
diagnostics-result-skipped = not run
diagnostics-script-loaded = loaded.
diagnostics-script-failed = not loaded within 10 seconds. Check FLOW_HOST and that browsers can reach it.
diagnostics-generation-v1 = { $version }, the original generation. It accepts widget messages only from flow.microsoft.com and flow.microsoft.us.
diagnostics-generation-current = { $version }, the current generation.
diagnostics-frame-shown = shown, from the Flow host.
diagnostics-messages-passed = { $answered } of { $requests } requests passed on by the SDK.
diagnostics-messages-dropped = the SDK dropped { $requests ->
    [one] the widget's request
   *[other] all { $requests } of the widget's requests
}: it does not accept widgets from { $host }. Set FLOW_HOST to a host whose SDK accepts its own widgets (https://make.powerautomate.com serves the current SDK) and restart Flowhost.
diagnostics-messages-silent = nothing arrived from the widget. The browser may block third-party cookies for the Flow host, or the widget page did not load.
diagnostics-token-given = given to the widget.
diagnostics-not-reached = not reached.
diagnostics-ready = ready.
diagnostics-verdict-running = Running the checks…
diagnostics-verdict-ok = The test widget started: Power Automate works on Flowhost's pages for you.
diagnostics-verdict-failed = The test widget did not start; the failed step says why.
diagnostics-verdict-no-script = The checks run in your browser and need JavaScript.
diagnostics-rejections-heading = Widgets the SDK rejected on customers' pages
diagnostics-rejections-none = No widget was reported rejected with this Flow host.
diagnostics-column-version = SDK version
diagnostics-column-reports = Reports
diagnostics-column-first = First
diagnostics-column-last = Last
diagnostics-column-where = Last seen on
diagnostics-where = { $organisation }, { $page }
