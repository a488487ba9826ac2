# The sign-in pages of the Azure AD stand-in: the account picker, admin consent, errors and
# signing out.
idp-sign-in-title = Sign in to your account
idp-sign-in = Sign in
idp-trouble = Sorry, but we're having trouble signing you in.
idp-pick-account = Pick an account
idp-continue-to = to continue to { $app }
idp-no-accounts = No accounts can sign in here.
idp-cancel = Cancel
idp-consent-title = Permissions requested
idp-consent-wants = { $app } wants to act for your whole organization. Accept for your organization:
idp-accept-as = Accept as { $name }
idp-signed-out-title = Sign out
idp-signed-out = You signed out of your account
idp-close-windows = It's a good idea to close all browser windows.
idp-error-lookup-title = Error code lookup
idp-error-lookup = Error lookup
idp-error-lookup-how = Give an error code as { $example }.
idp-error-code = An Azure AD error code.
idp-working = Working...
idp-script-disabled = Script is disabled. Click Submit to continue.
idp-submit = Submit
