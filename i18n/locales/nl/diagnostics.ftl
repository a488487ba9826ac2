# De diagnosepagina van de ISV-console, en de melding van geweigerde widgets in de console.
console-nav-diagnostics = Diagnose
console-rejected-notice = Power Automate-widgets zijn { $reports ->
    [one] één keer
   *[other] { $reports } keer
} geweigerd op pagina's van klanten, het laatst op { $at }: de SDK { $version } van { $host } (FLOW_HOST) accepteert daar zijn eigen widgets niet. Stel FLOW_HOST in op een host waarvan de SDK ze wel accepteert (https://make.powerautomate.com levert de huidige SDK) en start Flowhost opnieuw.
console-rejected-link = De diagnose openen
diagnostics-title = Diagnose · Flowhost-console
diagnostics-heading = Diagnose
diagnostics-settings-heading = Instellingen voor Power Automate
diagnostics-flow-host-term = FLOW_HOST
diagnostics-flow-host-note = waar de Power Automate-SDK en de widgets vandaan komen
diagnostics-flow-resource-term = FLOW_RESOURCE
diagnostics-flow-resource-note = de resource waarvoor de toegangstokens van de widgets gelden
diagnostics-script-term = SDK-script
diagnostics-test-heading = Testwidget
diagnostics-test-intro = De controles lopen in je browser met een widget Mijn stromen, als jij, in je eigen omgeving. Laad de pagina opnieuw om ze nog eens uit te voeren.
diagnostics-widget-title = Mijn stromen (test)
diagnostics-steps-label = Stappen van de testwidget
diagnostics-step-script = Het SDK-script van de Flow-host laden
diagnostics-step-generation = Generatie van de SDK die de Flow-host levert
diagnostics-step-frame = De testwidget tonen
diagnostics-step-messages = De verzoeken van de widget bereiken Flowhost
diagnostics-step-token = Een toegangstoken voor de widget
diagnostics-step-ready = De widget meldt dat hij klaar is
diagnostics-result-waiting = bezig
diagnostics-result-passed = geslaagd
diagnostics-result-failed = mislukt
diagnostics-result-skipped = niet uitgevoerd
diagnostics-script-loaded = geladen.
diagnostics-script-failed = niet binnen 10 seconden geladen. Controleer FLOW_HOST en of browsers die host kunnen bereiken.
diagnostics-generation-v1 = { $version }, de oorspronkelijke generatie. Die accepteert widgetberichten alleen van flow.microsoft.com en flow.microsoft.us.
diagnostics-generation-current = { $version }, de huidige generatie.
diagnostics-frame-shown = getoond, vanaf de Flow-host.
diagnostics-messages-passed = { $answered } van { $requests } verzoeken door de SDK doorgegeven.
diagnostics-messages-dropped = de SDK heeft { $requests ->
    [one] het verzoek van de widget
   *[other] alle { $requests } verzoeken van de widget
} laten vallen: hij accepteert geen widgets van { $host }. Stel FLOW_HOST in op een host waarvan de SDK zijn eigen widgets accepteert (https://make.powerautomate.com levert de huidige SDK) en start Flowhost opnieuw.
diagnostics-messages-silent = er kwam niets van de widget. Mogelijk blokkeert de browser cookies van derden voor de Flow-host, of is de widgetpagina niet geladen.
diagnostics-token-given = aan de widget gegeven.
diagnostics-not-reached = niet bereikt.
diagnostics-ready = klaar.
diagnostics-verdict-running = De controles lopen…
diagnostics-verdict-ok = De testwidget is gestart: Power Automate werkt voor jou op de pagina's van Flowhost.
diagnostics-verdict-failed = De testwidget is niet gestart; de mislukte stap zegt waarom.
diagnostics-verdict-no-script = De controles lopen in je browser en hebben JavaScript nodig.
diagnostics-rejections-heading = Widgets die de SDK weigerde op pagina's van klanten
diagnostics-rejections-none = Met deze Flow-host is geen geweigerde widget gemeld.
diagnostics-column-version = SDK-versie
diagnostics-column-reports = Meldingen
diagnostics-column-first = Eerste
diagnostics-column-last = Laatste
diagnostics-column-where = Laatst gezien op
diagnostics-where = { $organisation }, { $page }
