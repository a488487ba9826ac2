# The pages the server answers with outside the app: refused requests, the request limits,
# forms that could not be saved, and every outcome of signing in and out.
server-to-accounts = Go to accounts
server-try-again = Try again
server-sign-in = Sign in
server-sign-in-again = Sign in again

server-cross-site-title = Request refused
server-cross-site = This request did not come from a Flowhost page, so it was refused. Go back, reload the page and try again.
# A size limit, in whole megabytes or kilobytes.
size-megabytes = { $amount } MB
size-kilobytes = { $amount } KB
server-too-large-title = Too much to send
server-too-large = What you sent is larger than Flowhost accepts here ({ $size } at most), so nothing was saved. Go back, shorten it and try again.
server-busy-title = Flowhost is busy
server-busy = Flowhost is serving too many requests at once, so this one was not started and nothing was changed. Try again in a moment.
server-too-slow-title = This took too long
server-too-slow = Flowhost could not finish this request in time and stopped it. Try again in a minute; if you were saving something, check whether it was saved first.
server-failed-title = Something went wrong
server-failed = Flowhost failed while answering this request. Try again; if it keeps happening, tell your administrator the time it happened.
server-sign-in-first = Sign in first.
server-database-unreachable = Flowhost cannot reach its database.

server-form-forbidden-title = Access denied
server-form-forbidden = Your account does not have the role this needs.
server-form-not-found-title = Page not found
server-form-no-such-page = No such page.
server-form-refused-title = Request refused
server-form-not-understood = The form's fields were not understood: { $reason }.
server-form-unread = The form did not arrive whole, so nothing was saved. Go back and submit it again.
server-form-too-large-title = Too much to keep
server-form-too-large = What you typed is more than this form keeps ({ $size } at most), so nothing was saved. Go back: your input is still in the form. Shorten it and try again.
server-form-unavailable-title = Temporarily unavailable
server-form-unavailable = Your changes could not be saved because Flowhost cannot reach its database. Go back: your input is still in the form. Try again in a minute.

sign-in-consented-title = Thank you
sign-in-consented = If you approved Flowhost for your organisation, its people can now sign in.
sign-in-consent-refused-title = Consent was not granted
sign-in-consent-refused = Flowhost was not approved for your organisation, so its people cannot sign in yet.
sign-in-cancelled-title = Sign-in cancelled
sign-in-cancelled = You cancelled signing in, so you are not signed in. Sign in when you are ready.
sign-in-consent-missing-title = Your organisation has not approved Flowhost yet
sign-in-consent-missing = An administrator of your organisation needs to grant Flowhost consent once for everyone. Send them the consent link below; once they have approved it, sign in again.
sign-in-grant-consent = Administrator: grant consent
sign-in-not-admitted-title = Your organisation has not been set up
sign-in-not-admitted = You signed in, but your organisation does not use Flowhost yet. Ask your organisation's administrator to contact us to set it up.
sign-in-another-account = Sign in with another account
sign-in-start-again-title = Please sign in again
sign-in-start-again = This sign-in could not be completed: it expired, was already used, or was started in another window. Nothing was changed.
sign-in-unavailable-title = Microsoft sign-in is not available
sign-in-unavailable = Flowhost cannot reach Microsoft's sign-in service right now. Please try again in a minute.
sign-in-invalid-title = Your sign-in could not be verified
sign-in-invalid = The answer from Microsoft's sign-in service did not pass Flowhost's checks, so you are not signed in. Please sign in again; if it keeps happening, contact support.
sign-in-misconfigured-title = Sign-in is not set up correctly
sign-in-misconfigured = Flowhost's connection to Microsoft sign-in is misconfigured. Support has been notified in the server log; please try again later.
sign-in-store-down-title = Temporarily unavailable
sign-in-store-down = Flowhost cannot reach its database right now, so you cannot sign in. Please try again in a minute.
sign-in-too-many-title = Too many sign-in attempts
sign-in-too-many = Flowhost has had more sign-in attempts from your network than it takes in a short time. Please wait { $seconds } { $seconds ->
        [one] second
       *[other] seconds
    }, then try again.

sign-out-refused-title = Sign-out refused
sign-out-refused = The sign-out form had expired. Go back, reload the page and sign out again.
sign-out-done-title = You are signed out
sign-out-done = You have signed out of Flowhost. Close the browser if others use this computer.
sign-in-personal-account-title = A work or school account is needed
sign-in-personal-account = You signed in with a personal Microsoft account. Flowhost is used with the work or school account of your organisation, the one you use for Microsoft 365. Sign in again with that account.
