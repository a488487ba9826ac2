# Wat elk formulier zegt: over een geweigerd veld, en over het hele formulier.
field-required = { $field } is verplicht.
field-too-short = { $field } moet minstens { $min } tekens hebben.
field-too-long = { $field } mag hoogstens { $max } tekens hebben (het zijn er { $length }).
field-one-of = { $field } moet een van deze zijn: { $choices }.
form-expired = Dit formulier was verlopen. Controleer het en verstuur het opnieuw.
form-correct = Verbeter de gemarkeerde velden hieronder. Er is niets opgeslagen.
ticket-created = Ticket #{ $id } is aangemaakt.
comment-added = Uw opmerking is toegevoegd.
ticket-saved = Wijzigingen opgeslagen.
tenant-flows-environment-invalid = Een omgevingsnaam bestaat alleen uit letters, cijfers en koppeltekens, zoals Default-… of een GUID.
tenant-flows-saved = Opgeslagen. Je mensen zien de wijziging op hun volgende pagina.
