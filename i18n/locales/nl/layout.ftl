# Het kader van elke pagina: koptekst, navigatie, voettekst, taalkeuze.
brand = Flowhost
nav-main = Hoofdmenu
nav-accounts = Accounts
nav-flows = Mijn stromen
nav-approvals = Goedkeuringen
nav-console = Console
nav-settings = Instellingen
sign-in = Aanmelden
sign-out = Afmelden
footer-tagline = Flowhost — je servicedesk, met Power Automate waar je records zijn.
language-switch = Taal
