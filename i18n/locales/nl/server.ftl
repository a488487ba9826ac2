# De pagina's waarmee de server antwoordt buiten de app: geweigerde verzoeken, de grenzen van
# verzoeken, formulieren die niet konden worden opgeslagen, en elke afloop van aan- en afmelden.
server-to-accounts = Naar accounts
server-try-again = Opnieuw proberen
server-sign-in = Aanmelden
server-sign-in-again = Opnieuw aanmelden

server-cross-site-title = Verzoek geweigerd
server-cross-site = Dit verzoek kwam niet van een pagina van Flowhost en is daarom geweigerd. Ga terug, laad de pagina opnieuw en probeer het nog eens.
# Een groottegrens, in hele megabytes of kilobytes.
size-megabytes = { $amount } MB
size-kilobytes = { $amount } KB
server-too-large-title = Te veel om te versturen
server-too-large = Wat je hebt verstuurd is groter dan Flowhost hier aanneemt (hoogstens { $size }), dus er is niets opgeslagen. Ga terug, maak het korter en probeer het opnieuw.
server-busy-title = Flowhost heeft het te druk
server-busy = Flowhost verwerkt te veel verzoeken tegelijk, dus dit verzoek is niet gestart en er is niets gewijzigd. Probeer het zo meteen opnieuw.
server-too-slow-title = Dit duurde te lang
server-too-slow = Flowhost kon dit verzoek niet op tijd afronden en heeft het gestopt. Probeer het over een minuut opnieuw; als je iets aan het opslaan was, controleer dan eerst of het is opgeslagen.
server-failed-title = Er is iets misgegaan
server-failed = Er ging iets mis in Flowhost bij het beantwoorden van dit verzoek. Probeer het opnieuw; blijft het gebeuren, geef dan aan je beheerder door hoe laat het gebeurde.
server-sign-in-first = Meld je eerst aan.
server-database-unreachable = Flowhost kan zijn database niet bereiken.

server-form-forbidden-title = Toegang geweigerd
server-form-forbidden = Je account heeft niet de rol die hiervoor nodig is.
server-form-not-found-title = Pagina niet gevonden
server-form-no-such-page = Deze pagina bestaat niet.
server-form-refused-title = Verzoek geweigerd
server-form-not-understood = De velden van het formulier zijn niet begrepen: { $reason }.
server-form-unread = Het formulier is niet helemaal aangekomen, dus er is niets opgeslagen. Ga terug en verstuur het opnieuw.
server-form-too-large-title = Te veel om te bewaren
server-form-too-large = Wat je hebt getypt is meer dan dit formulier bewaart (hoogstens { $size }), dus er is niets opgeslagen. Ga terug: je invoer staat nog in het formulier. Maak het korter en probeer het opnieuw.
server-form-unavailable-title = Tijdelijk niet beschikbaar
server-form-unavailable = Je wijzigingen konden niet worden opgeslagen omdat Flowhost zijn database niet kan bereiken. Ga terug: je invoer staat nog in het formulier. Probeer het over een minuut opnieuw.

sign-in-consented-title = Bedankt
sign-in-consented = Als je Flowhost voor je organisatie hebt goedgekeurd, kunnen de mensen van je organisatie zich nu aanmelden.
sign-in-consent-refused-title = Er is geen toestemming gegeven
sign-in-consent-refused = Flowhost is niet goedgekeurd voor je organisatie, dus de mensen van je organisatie kunnen zich nog niet aanmelden.
sign-in-cancelled-title = Aanmelden geannuleerd
sign-in-cancelled = Je hebt het aanmelden geannuleerd, dus je bent niet aangemeld. Meld je aan wanneer je zover bent.
sign-in-consent-missing-title = Je organisatie heeft Flowhost nog niet goedgekeurd
sign-in-consent-missing = Een beheerder van je organisatie moet Flowhost één keer toestemming geven voor iedereen. Stuur die beheerder de toestemmingslink hieronder; meld je opnieuw aan zodra die is goedgekeurd.
sign-in-grant-consent = Beheerder: toestemming geven
sign-in-not-admitted-title = Je organisatie is nog niet ingesteld
sign-in-not-admitted = Je bent aangemeld, maar je organisatie gebruikt Flowhost nog niet. Vraag de beheerder van je organisatie om contact met ons op te nemen om het in te stellen.
sign-in-another-account = Aanmelden met een ander account
sign-in-start-again-title = Meld je opnieuw aan
sign-in-start-again = Deze aanmelding kon niet worden voltooid: ze was verlopen, al gebruikt of in een ander venster gestart. Er is niets gewijzigd.
sign-in-unavailable-title = Aanmelden bij Microsoft is niet beschikbaar
sign-in-unavailable = Flowhost kan de aanmeldservice van Microsoft nu niet bereiken. Probeer het over een minuut opnieuw.
sign-in-invalid-title = Je aanmelding kon niet worden gecontroleerd
sign-in-invalid = Het antwoord van de aanmeldservice van Microsoft doorstond de controles van Flowhost niet, dus je bent niet aangemeld. Meld je opnieuw aan; neem contact op met support als het blijft gebeuren.
sign-in-misconfigured-title = Aanmelden is niet goed ingesteld
sign-in-misconfigured = De verbinding van Flowhost met de aanmeldservice van Microsoft is verkeerd ingesteld. Support is via het serverlogboek op de hoogte gebracht; probeer het later opnieuw.
sign-in-store-down-title = Tijdelijk niet beschikbaar
sign-in-store-down = Flowhost kan zijn database nu niet bereiken, dus je kunt je niet aanmelden. Probeer het over een minuut opnieuw.
sign-in-too-many-title = Te veel aanmeldpogingen
sign-in-too-many = Flowhost heeft in korte tijd meer aanmeldpogingen van je netwerk gehad dan het aanneemt. Wacht { $seconds } { $seconds ->
        [one] seconde
       *[other] seconden
    } en probeer het dan opnieuw.

sign-out-refused-title = Afmelden geweigerd
sign-out-refused = Het afmeldformulier was verlopen. Ga terug, laad de pagina opnieuw en meld je opnieuw af.
sign-out-done-title = Je bent afgemeld
sign-out-done = Je bent afgemeld bij Flowhost. Sluit de browser als anderen deze computer gebruiken.
sign-in-personal-account-title = Een werk- of schoolaccount is nodig
sign-in-personal-account = Je hebt je aangemeld met een persoonlijk Microsoft-account. Flowhost gebruik je met het werk- of schoolaccount van je organisatie, het account dat je voor Microsoft 365 gebruikt. Meld je opnieuw aan met dat account.
