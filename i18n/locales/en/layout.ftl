# The frame of every page: header, navigation, footer, language switch.
brand = Flowhost
nav-main = Main
nav-accounts = Accounts
nav-flows = My flows
nav-approvals = Approvals
nav-console = Console
nav-settings = Settings
sign-in = Sign in
sign-out = Sign out
footer-tagline = Flowhost — your service desk, with Power Automate where your records are.
language-switch = Language
