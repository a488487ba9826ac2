# De aanmeldpagina's van de vervanger van Azure AD: de accountkiezer, beheerderstoestemming,
# fouten en afmelden.
idp-sign-in-title = Aanmelden bij je account
idp-sign-in = Aanmelden
idp-trouble = Sorry, er is een probleem opgetreden bij het aanmelden.
idp-pick-account = Een account kiezen
idp-continue-to = om door te gaan naar { $app }
idp-no-accounts = Er kunnen hier geen accounts aanmelden.
idp-cancel = Annuleren
idp-consent-title = Aangevraagde machtigingen
idp-consent-wants = { $app } wil namens je hele organisatie handelen. Accepteer voor je organisatie:
idp-accept-as = Accepteren als { $name }
idp-signed-out-title = Afmelden
idp-signed-out = Je bent afgemeld bij je account
idp-close-windows = Het is verstandig om alle browservensters te sluiten.
idp-error-lookup-title = Foutcode opzoeken
idp-error-lookup = Fout opzoeken
idp-error-lookup-how = Geef een foutcode op als { $example }.
idp-error-code = Een foutcode van Azure AD.
idp-working = Bezig...
idp-script-disabled = Script is uitgeschakeld. Klik op Verzenden om door te gaan.
idp-submit = Verzenden
