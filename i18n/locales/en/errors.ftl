# The app's error pages: what happened (the lead), a title, and what to do about it.
error-unauthorized-title = Sign in required
error-unauthorized = You need to sign in to see this page.
error-unauthorized-advice = Sign in with your organisation's Microsoft account to continue.
error-forbidden-title = Access denied
error-forbidden = You do not have access to this page.
error-forbidden-advice = Your account does not have the role this page needs. Ask your organisation's Flowhost administrator.
error-not-found-title = Page not found
error-not-found = We could not find that page.
error-not-found-advice = The page or record does not exist, or it belongs to another organisation.
error-unavailable-title = Temporarily unavailable
error-unavailable = Flowhost cannot reach its database right now.
error-flow-unavailable = Power Automate cannot be reached right now.
error-unavailable-advice = Your data is safe. Please try again in a minute.
error-too-many-requests-title = Too many requests
error-too-many-requests = Too many requests. Please wait a minute and try again.
error-too-many-requests-advice = Please wait a minute and try again.
error-record-full-title = Record full
error-record-full = This record cannot take more of these.
error-record-full-advice = Remove something from the record first.
error-internal-title = Something went wrong
error-internal = Something went wrong on our side.
error-transport = The server could not be reached: { $reason }
error-internal-advice = Please try again. If it keeps happening, contact support.

# The ways on from an error page.
error-sign-in = Sign in
error-try-again = Try again
error-to-accounts = Go to accounts
