# De ISV-console: de regels voor een plaatsing.
rule-at-most-characters = Hoogstens { $max } tekens.
rule-placeholder-unknown = { $placeholder } is geen tijdelijke aanduiding; gebruik een van { $known }.
rule-placeholder-unclosed = { $placeholder } wordt nooit gesloten met {"}"}.
rule-placeholder-not-on-page = { $placeholder } kan niet worden ingevuld op de { $page }.
rule-not-a-filter = Geen filter dat Power Automate begrijpt: { $reason }.
rule-not-a-parameter-name = ‘{ $name }’ is geen parameternaam zoals parameters.flowhost.accountId.
rule-not-a-parameter-line = ‘{ $line }’ is geen regel zoals parameters.flowhost.accountId={"{"}account.id{"}"}.
rule-trigger-kind = Een sjabloon of een stroom.
rule-key = 1 tot 40 kleine letters, cijfers en koppeltekens.
rule-key-reserved = ‘{ $key }’ is de naam van een pagina van de console; kies een andere sleutel.
rule-key-taken = Een andere plaatsing heeft deze sleutel al.
rule-slot = Een van: { $slots }.
rule-order = Een geheel getal van -1000 tot 1000.
rule-title-required = Een titel is verplicht.

# De meldingen van de console na een formulier.
history-changed-since = De configuratie is gewijzigd sinds je de geschiedenis opende; bekijk die opnieuw voordat je iets terugzet.
history-restored = Versie { $version } is teruggezet als versie { $saved }.
history-restore-stale = Iemand anders heeft eerst een wijziging opgeslagen; er is niets teruggezet. Bekijk de geschiedenis opnieuw.
placement-previewed = Hieronder zie je een voorbeeld; er wordt niets opgeslagen totdat je opslaat.
placement-preview-failed = Het voorbeeld kon niet worden getoond.
placement-conflict = Iemand anders heeft eerst een wijziging opgeslagen (versie { $version }, door { $author }). Van jou is niets opgeslagen; wat je invoerde staat hieronder. Open de plaatsing opnieuw om de huidige instellingen te zien en sla daarna opnieuw op.
placement-conflict-unknown = Iemand anders heeft eerst een wijziging opgeslagen; wat je invoerde staat hieronder.
placement-saved = Opgeslagen als versie { $version }.
placement-unchanged = Er is niets gewijzigd, dus er is niets opgeslagen.
import-refused = Er is niets geïmporteerd: het bestand heeft { $count ->
    [one] { $count } probleem
   *[other] { $count } problemen
}.
import-checked = Het bestand heeft elke controle doorstaan. Bekijk hieronder wat het wijzigt en pas het daarna toe.
import-stale = De configuratie is gewijzigd sinds je het bestand controleerde; controleer het opnieuw.
import-done = Het bestand is geïmporteerd als versie { $version }.
config-unreadable = { $count ->
    [one] Versie { $versions } kon niet worden gelezen
   *[other] Versies { $versions } konden niet worden gelezen
}: { $why }; { $used ->
    [0] pagina's gebruiken de standaardconfiguratie.
   *[other] pagina's gebruiken versie { $used }.
}
preview-choose-organisation = Kies een organisatie.
preview-no-such-organisation = Die organisatie bestaat niet.
preview-not-a-number = ‘{ $typed }’ is geen recordnummer.
preview-no-such-record = { $organisation } heeft zo'n record niet.
preview-unresolved = Deze plaatsing kan niet voor het record worden getoond: { $reason }
preview-not-recorded = Flowhost kan dit voorbeeld niet vastleggen in de audit van de organisatie, dus het wordt niet getoond.
preview-database-unavailable = Flowhost kan zijn database niet bereiken.

# De pagina's van de console.
console-nav-label = Console
console-nav-widgets = Widgets
console-nav-history = Geschiedenis
console-nav-import = Importeren
console-nav-export = Exporteren
console-list-title = Widgets · Console
console-list-heading = Widgets
console-add-placement = Een plaatsing toevoegen
console-version = Versie { $version } · opgeslagen door { $author } · { $at }
console-seen-by = Zoals gezien door
console-every-organisation = Elke organisatie (de standaardwaarden)
console-show = Tonen
console-field-key = Sleutel
console-field-page = Pagina
console-field-slot = Positie
console-field-widget = Widget
console-field-title = Titel
console-field-order = Volgorde
console-field-shown = Getoond
console-column-organisation = Voor deze organisatie
console-shown-yes = ja
console-shown-no = nee
console-inherited = overgenomen
console-overridden-fields = overschreven: { $fields }
console-origin-overridden = overschreven (de standaardwaarde is ‘{ $default }’)
console-edit = Bewerken
console-column-actions = Acties
console-new-placement = Nieuwe plaatsing van { $widget }
console-placement-for = { $key } voor { $organisation }
console-placement = Plaatsing { $key }
console-on-the-page = op de
console-choose = Kiezen
console-choose-widget-type = Kies eerst een widgettype.
console-key-hint = Kleine letters, cijfers en koppeltekens; de sleutel verandert nooit.
console-order-hint = Lagere getallen komen eerst.
console-preview-legend = Voorbeeld voor een record
console-preview-organisation = Organisatie
console-preview-account = Account-id
console-preview-ticket = Ticket-id
console-preview-hint = Leeg: het eerste account van de organisatie en het nieuwste ticket daarvan.
console-save = Opslaan
console-preview-button = Voorbeeld
console-inherit-everything = Alles overnemen
console-remove = Verwijderen
console-preview-heading = Voorbeeld
console-preview-for = Voor { $record }. De widget hieronder wordt uitgevoerd als jij, in je eigen standaardomgeving.
preview-record-ticket = { $organisation } · { $account } · ticket #{ $ticket }
preview-record-account = { $organisation } · { $account }
preview-record-organisation = { $organisation }
console-history-title = Geschiedenis · Console
console-history-heading = Geschiedenis
console-history-version = Versie { $version }
console-history-current = huidige
console-restore-version = Versie { $version } terugzetten
console-import-title = Importeren · Console
console-import-heading = Een configuratie importeren
console-import-lead = Plak een bestand dat uit een Flowhost-instantie is geëxporteerd. Alles erin wordt eerst gecontroleerd; daarna zie je wat het wijzigt, en het wordt in één keer toegepast of helemaal niet.
console-import-changes = Wat toepassen wijzigt
console-import-no-changes = Niets: dit is de configuratie die in gebruik is.
console-import-apply = Toepassen
console-import-file = Geëxporteerd bestand
console-import-check = Controleren
console-import-in-use = De configuratie die in gebruik is, is versie { $version }.

# Wat een versie van de configuratie wijzigde, zoals de geschiedenis en de import het tonen.
change-added = { $key } ‘{ $title }’ ({ $widget }) toegevoegd aan de { $page }
change-removed = { $key } ‘{ $title }’ verwijderd van de { $page }
change-field = { $key }: { $field } ‘{ $old }’ → ‘{ $new }’
change-overridden = { $organisation }: { $key }: { $field } overschreven met ‘{ $value }’
change-inherited = { $organisation }: { $key }: { $field } weer overgenomen
change-on = aan
change-off = uit
change-restored = Versie { $version } teruggezet
change-imported = Een configuratie geïmporteerd
change-seeded = Standaardconfiguratie ingesteld
# Een wijziging die als tekst is vastgelegd, getoond zoals ze is geschreven.
change-as-recorded = { $text }

# Wat een import weigert, telkens met de plaatsing (en organisatie) erbij.
import-key-twice = { $key }: de sleutel wordt twee keer gebruikt
import-problem = { $key }: { $field }: { $message }
import-no-such-placement = { $tenant }: { $key }: er is geen plaatsing met deze sleutel om te overschrijven
import-override-unusable = { $tenant }: { $key }: { $message }
import-override-problem = { $tenant }: { $key }: { $field }: { $message }
import-not-an-export = Dit is geen export van een widgetconfiguratie: { $reason }.
import-other-format = Dit bestand heeft indeling "{ $format }" versie { $version }; Flowhost leest "{ $expected }" versie { $expected_version }.
console-nav-subscriptions = Abonnementen
console-subscriptions-title = Abonnementen · Console
console-subscriptions-heading = Marketplace-abonnementen
console-subscriptions-none = Nog geen organisatie heeft Flowhost op de marketplace gekocht.
console-subscriptions-trial = Gratis proefperiode
console-subscriptions-term = Termijn
console-subscriptions-term-span = { $start } tot { $end }
console-subscriptions-deletion = Gegevens
console-subscriptions-deleted-after = Beëindigd: verwijderd na { $date }
console-subscriptions-deleted = Verwijderd op { $date }
console-subscriptions-history = Geschiedenis van { $organisation }
