# De eigen pagina's van de vervanger van Power Automate: de widgetpagina, haar fouten, en de
# pagina van een stroom.
flow-loading = Laden…
flow-error-title = Fout
flow-error = Er is iets misgegaan
flow-not-found-title = Niet gevonden
flow-not-found = Deze widgetpagina bestaat niet
flow-details-title = Stroom · Power Automate
flow-details-heading = Stroom { $name }
flow-details-environment = Omgeving { $environment }
flow-details-note = Dit is de sandbox van Power Automate; de stroom wordt beheerd vanuit de widgets in Flowhost.
flow-connection-title = Verbinding · Power Automate
flow-connection-made = Verbonden als { $account }. U kunt dit venster sluiten.
flow-connection-failed = De verbinding is niet gemaakt: { $reason }
flow-connection-unknown = Deze aanmelding hoort bij geen verbinding die erop wacht. Begin opnieuw vanuit de flow.
flow-connection-other-tenant = U hebt zich aangemeld met een account van een andere organisatie. Meld u aan met een account van uw eigen organisatie.
portal-title = Verbindingen · Power Automate
portal-heading = Verbindingen
portal-signed-in-as = Aangemeld als { $upn }, omgeving { $environment }.
portal-none = U hebt nog geen verbindingen in deze omgeving.
portal-connector = Connector
portal-name = Naam
portal-status = Status
portal-connected = Verbonden als { $account }
portal-not-signed-in = Nog niet aangemeld
portal-new-flowhost = Nieuwe verbinding: Flowhost
portal-failed = De verbinding kon niet worden gemaakt. Probeer het opnieuw.
portal-no-environment = Deze omgeving hoort niet bij uw organisatie.
