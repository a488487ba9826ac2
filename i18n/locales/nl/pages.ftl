# Wat elke pagina toont terwijl de gegevens laden, en de paginering van een lange lijst.
page-loading = Laden…
page-breadcrumb = Kruimelpad
pager-label = Pagina's
pager-previous = ← Vorige
pager-next = Volgende →
pager-status = Pagina { $page } van { $count }

# De startpagina.
home-heading = Je servicedesk, met Power Automate waar je records staan
home-lead = Flowhost bewaart de accounts en tickets van je klanten. Open een record om ermee te werken.
home-open-accounts = Accounts openen

# De lijst met accounts.
accounts-title = Accounts
accounts-search-label = Accounts zoeken op naam
accounts-search-placeholder = Zoeken op naam
accounts-search = Zoeken
accounts-none = Nog geen accounts.
accounts-none-match = Geen accounts gevonden voor “{ $search }”.
accounts-count = { $count ->
    [one] { $count } account
   *[other] { $count } accounts
}

# Een account en de tickets ervan.
account-new-ticket = Nieuw ticket
account-tickets = Tickets
account-no-tickets = Nog geen tickets.

# Een ticket, en een nieuw ticket.
ticket-no-description = Geen beschrijving.
ticket-comments = Opmerkingen
ticket-no-comments = Nog geen opmerkingen.
ticket-add-comment = Een opmerking toevoegen
ticket-comment-submit = Plaatsen
ticket-comments-more = Alleen de eerste { $count } opmerkingen worden getoond.
comment-by-flow = Een flow, namens { $name }
ticket-change = Wijzigen
ticket-save-changes = Wijzigingen opslaan
new-ticket-title = Nieuw ticket voor { $account }
new-ticket-heading = Nieuw ticket
new-ticket-create = Ticket maken
new-ticket-cancel = Annuleren

# De pagina's met de eigen stromen en goedkeuringen van de gebruiker.
flows-title = Mijn stromen
flows-lead = Elke stroom die je in Power Automate hebt, waar je hem ook hebt gemaakt.
approvals-title = Goedkeuringen
approvals-lead = Goedkeuringen die op jou wachten, en de goedkeuringen die je zelf hebt aangevraagd.

# De instellingen van een organisatie, voor de beheerders ervan.
settings-title = Instellingen
settings-heading = Instellingen van { $organisation }
settings-power-automate = Power Automate
settings-organisation = Organisatie
settings-tenant-id = Tenant-id
settings-people = Mensen die zich hebben aangemeld
settings-email = E-mail
settings-roles = Rollen
settings-last-seen = Laatst gezien
settings-no-roles = Gebruiker

# De Power Automate-instellingen van een organisatie.
tenant-flows-title = Power Automate · Instellingen
tenant-flows-heading = Power Automate voor { $organisation }
tenant-flows-environment = Omgeving
tenant-flows-environment-hint = De Power Automate-omgeving die je widgets gebruiken, en waar kant-en-klare flows worden geïnstalleerd.
tenant-flows-widgets = Widgets die je mensen zien
tenant-flows-shown = Getoond
tenant-flows-page = Pagina
tenant-flows-widget = Widget
tenant-flows-show = { $title } tonen
tenant-flows-save = Opslaan
tenant-flows-staff-heading = Toegang van Flowhost-medewerkers tot je records
tenant-flows-staff-hint = Elk voorbeeld van een widget dat medewerkers van Flowhost met een van je accounts of tickets hebben bekeken, nieuwste eerst (hoogstens { $max }).
tenant-flows-staff-none = Medewerkers van Flowhost hebben geen voorbeelden van je records bekeken.
tenant-flows-staff-entry = { $staff } van Flowhost heeft op { $at } een voorbeeld bekeken met { $record }.

# De voorbeelden van klantrecords door medewerkers, in de geschiedenis van de console.
staff-previews-heading = Voorbeelden van klantrecords
staff-previews-hint = Elk voorbeeld dat een account of ticket van een organisatie toonde, nieuwste eerst (hoogstens { $max }). De beheerders van elke organisatie zien hun eigen voorbeelden bij hun Power Automate-instellingen.
staff-previews-none = Er is nog geen voorbeeld van een klantrecord bekeken.
staff-previews-entry = { $at } · { $staff } heeft een voorbeeld bekeken met { $record } van { $organisation }
staff-preview-account = account #{ $id } ({ $name })
staff-preview-ticket = ticket #{ $id } van { $account }

# Het Power Automate-deel van een pagina: de widgets, en wat ze op het record achterlieten.
power-automate-label = Power Automate
power-automate-unavailable = De Power Automate-widgets kunnen niet worden getoond: { $reason }
activity-unavailable = De stroomactiviteit van het record kan nu niet worden getoond.
activity-approvals-waiting = Goedkeuringen in afwachting
activity-approvals-decided = Goedkeuringen afgehandeld
activity-flows-on-ticket = Stromen gemaakt op dit ticket
activity-flows-on-account = Stromen gemaakt op dit account
activity-no-flows = Nog geen stromen. Maak er een met de widgets hierboven.
activity-unnamed-flow = Stroom
activity-heading = Activiteit
activity-none = Hier is nog niets gebeurd in Power Automate.
activity-flow-linked = { $actor } heeft de stroom “{ $flow }” gemaakt
activity-flow-linked-unnamed = { $actor } heeft een stroom gemaakt
activity-run = { $actor } heeft “{ $flow }” uitgevoerd: { $outcome }
activity-run-unnamed = { $actor } heeft een stroom uitgevoerd: { $outcome }
activity-approval-waiting = Goedkeuring “{ $subject }” is { $state }
activity-approval-decided = Goedkeuring “{ $subject }” { $state } door { $actor }
activity-reported-by-approvals = gemeld door de goedkeuringswidget
activity-reported-by-widget = gemeld door een widget
