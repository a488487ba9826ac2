# De foutpagina's van de app: wat er gebeurde (de inleiding), een titel, en wat je eraan kunt doen.
error-unauthorized-title = Aanmelden vereist
error-unauthorized = Je moet je aanmelden om deze pagina te zien.
error-unauthorized-advice = Meld je aan met het Microsoft-account van je organisatie om verder te gaan.
error-forbidden-title = Geen toegang
error-forbidden = Je hebt geen toegang tot deze pagina.
error-forbidden-advice = Je account heeft niet de rol die deze pagina vereist. Vraag het de Flowhost-beheerder van je organisatie.
error-not-found-title = Pagina niet gevonden
error-not-found = We kunnen die pagina niet vinden.
error-not-found-advice = De pagina of het record bestaat niet, of hoort bij een andere organisatie.
error-unavailable-title = Tijdelijk niet beschikbaar
error-unavailable = Flowhost kan de database nu niet bereiken.
error-flow-unavailable = Power Automate is nu niet bereikbaar.
error-unavailable-advice = Je gegevens zijn veilig. Probeer het over een minuut opnieuw.
error-too-many-requests-title = Te veel aanvragen
error-too-many-requests = Te veel aanvragen. Wacht een minuut en probeer het opnieuw.
error-too-many-requests-advice = Wacht een minuut en probeer het opnieuw.
error-record-full-title = Record vol
error-record-full = Dit record kan hier niet meer van bevatten.
error-record-full-advice = Verwijder eerst iets uit het record.
error-internal-title = Er is iets misgegaan
error-internal = Er is aan onze kant iets misgegaan.
error-transport = De server is niet bereikbaar: { $reason }
error-internal-advice = Probeer het opnieuw. Blijft het gebeuren, neem dan contact op met de ondersteuning.

# De wegen verder vanaf een foutpagina.
error-sign-in = Aanmelden
error-try-again = Opnieuw proberen
error-to-accounts = Naar accounts
