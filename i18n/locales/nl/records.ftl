# Records: de namen van velden, en de waarden die een veld aanneemt.
field-title = Titel
field-description = Beschrijving
field-requester = Aanvrager
field-status = Status
field-priority = Prioriteit
field-page = De pagina
field-widget-type = Het widgettype
field-event-kind = Het soort gebeurtenis
field-approval-state = De goedkeuringsstatus

field-comment = Opmerking
field-comment-via = Geschreven door
comment-via-person = Een persoon
comment-via-flow = Een flow

field-hook-event = De trigger
hook-event-ticket-created = Als een ticket wordt aangemaakt
hook-event-ticket-status-changed = Als de status van een ticket verandert
hook-event-comment-added = Als er een opmerking wordt toegevoegd

status-open = Open
status-pending = In afwachting
status-resolved = Opgelost
status-closed = Gesloten

priority-low = Laag
priority-normal = Normaal
priority-high = Hoog
priority-urgent = Dringend

tier-standard = Standaard
tier-premium = Premium
tier-enterprise = Enterprise

page-kind-account = Accountpagina
page-kind-ticket = Ticketpagina
page-kind-flows = Pagina Mijn stromen
page-kind-approvals = Pagina Goedkeuringen

widget-type-flows = Stromen
widget-type-flow-creation = Stroom maken
widget-type-flows-runtime = Een stroom uitvoeren
widget-type-approval-center = Goedkeuringen
widget-type-templates = Sjablonen

event-flow-linked = Stroom gemaakt
event-run-completed = Stroomuitvoering
event-approval = Goedkeuring

approval-pending = in afwachting
approval-approved = goedgekeurd
approval-rejected = afgewezen

field-name = Naam
field-website = Website
field-tier = Niveau
field-owner = Eigenaar
field-open-tickets = Open tickets
field-opened = Geopend
field-updated = Bijgewerkt

# Hoe de uitvoering van een stroom afliep, zoals Power Automate de status meldt.
run-status-succeeded = geslaagd
run-status-failed = mislukt
run-status-cancelled = geannuleerd
run-status-running = wordt uitgevoerd
run-status-waiting = wacht
run-status-skipped = overgeslagen
run-status-suspended = onderbroken
run-status-timed-out = time-out
run-status-aborted = afgebroken
run-status-faulted = fout opgetreden
