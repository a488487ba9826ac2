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
