# The REST API's error messages (its codes stay English and never change).
api-no-token = This call needs an Azure AD access token for Flowhost, sent as "Authorization: Bearer …".
api-invalid-token = The access token was refused: { $reason }.
api-insufficient-scope = The access token does not grant { $scope }, which this call needs.
api-not-admitted = Your organisation has not been set up to use Flowhost. Ask the vendor to admit it.
api-not-found = There is nothing at this address for your organisation.
api-method-not-allowed = This address does not take that method.
api-invalid = Some fields were refused; each is named in the details. Nothing was saved.
api-unreadable = The request could not be read: { $reason }
api-not-json = The body must be JSON, sent with "Content-Type: application/json".
api-stale = The ticket changed since the version named in If-Match. Read it again, then send the change with its new ETag.
api-too-many = Too many calls. Try again in { $seconds } seconds.
api-unavailable = Flowhost cannot answer right now. Try again in a moment.
api-whole-number = { $field } must be a whole number from { $min } to { $max }.
api-date-time = { $field } must be a date and time such as 2026-12-01T09:30:00Z.
api-nothing-to-change = Name a status or a priority to change.
api-too-many-subscriptions = You have { $limit } flows listening to Flowhost, as many as one person may. Delete flows you no longer use.
api-callback-url = { $field } must be an https address (plain http only to this machine).
