# De foutmeldingen van de REST API (de codes blijven Engels en veranderen nooit).
api-no-token = Deze aanroep heeft een Azure AD-toegangstoken voor Flowhost nodig, meegestuurd als "Authorization: Bearer …".
api-invalid-token = Het toegangstoken is geweigerd: { $reason }.
api-insufficient-scope = Het toegangstoken geeft geen { $scope }, en die heeft deze aanroep nodig.
api-not-admitted = Uw organisatie is nog niet ingericht voor Flowhost. Vraag de leverancier haar toe te laten.
api-not-found = Op dit adres is niets voor uw organisatie.
api-method-not-allowed = Dit adres neemt die methode niet aan.
api-invalid = Enkele velden zijn geweigerd; de details noemen ze elk. Er is niets opgeslagen.
api-unreadable = Het verzoek kon niet worden gelezen: { $reason }
api-not-json = De inhoud moet JSON zijn, verstuurd met "Content-Type: application/json".
api-stale = Het ticket is veranderd sinds de versie in If-Match. Lees het opnieuw en stuur de wijziging dan met de nieuwe ETag.
api-too-many = Te veel aanroepen. Probeer het over { $seconds } seconden opnieuw.
api-unavailable = Flowhost kan nu niet antwoorden. Probeer het zo opnieuw.
api-whole-number = { $field } moet een geheel getal van { $min } tot { $max } zijn.
api-date-time = { $field } moet een datum en tijd zijn, zoals 2026-12-01T09:30:00Z.
api-nothing-to-change = Noem een status of een prioriteit om te wijzigen.
api-too-many-subscriptions = U hebt { $limit } flows die naar Flowhost luisteren, zoveel als één persoon mag. Verwijder flows die u niet meer gebruikt.
api-callback-url = { $field } moet een https-adres zijn (gewone http alleen naar deze machine).
