# Het widgetgebied: de meldingen, en de teksten waar de widgets om vragen (GET_STRINGS).
widget-sdk-create-button = De stroom maken
widget-sdk-create-header = Dit record automatiseren
widget-sdk-run-header = Een stroom uitvoeren op dit record
widget-sdk-run-button = De stroom uitvoeren
widget-loading = Power Automate wordt geladen…
widget-needs-javascript = De Power Automate-widgets hebben JavaScript nodig. Zet het aan om hier stromen te maken, uit te voeren en goed te keuren; de rest van de pagina werkt zonder.
widget-unreachable = Power Automate is niet bereikbaar. Controleer je verbinding en probeer het opnieuw; de rest van deze pagina blijft werken.
widget-not-started = De Power Automate-widget is niet gestart. Meestal blokkeert je browser cookies van derden voor de Power Automate-site: sta cookies voor die site toe (in Chrome: Instellingen › Privacy en beveiliging › Cookies van derden › Sites die cookies van derden mogen gebruiken) en probeer het opnieuw.
widget-sign-in-refused = Power Automate heeft je aanmelding niet geaccepteerd. Maak opnieuw verbinding met Power Automate; gebeurt het vaker, neem dan contact op met je beheerder.
widget-rejected = Power Automate kon op deze pagina niet worden gestart; je beheerder is op de hoogte gebracht.
widget-reconnect = Je verbinding met Power Automate is verlopen. Maak opnieuw verbinding om verder te gaan; je komt terug op deze pagina.
widget-not-provisioned = Power Automate is nog niet ingesteld voor je organisatie. Vraag je beheerder Power Automate één keer te openen en probeer het daarna opnieuw.
widget-token-unavailable = Flowhost kan je nu niet aanmelden bij Power Automate. Probeer het over een minuut opnieuw.
widget-closed = Dit paneel is gesloten.
widget-retry = Opnieuw proberen
widget-reconnect-button = Opnieuw verbinden met Power Automate
widget-open = Opnieuw openen
widget-action-failed = De stroom kon niet worden gestart: { $reason }
widget-token-refused = Flowhost kon geen Power Automate-token krijgen.
# Waarom een widget niet kon worden getoond of niets kon doen, als de SDK zelf geen reden geeft.
widget-sdk-not-loaded = de Power Automate-SDK is niet geladen
widget-sdk-cannot-render = de Power Automate-SDK heeft geen renderWidget
widget-not-shown = de widget kon niet worden getoond
widget-cannot-act = de widget kan geen opdrachten krijgen
widget-no-answer = de widget gaf geen antwoord
widget-not-ready = de widget is nog niet klaar
