# What every form says: about a field it refused, and about the whole form.
field-required = { $field } is required.
field-too-short = { $field } must be at least { $min } characters.
field-too-long = { $field } must be at most { $max } characters (it has { $length }).
field-one-of = { $field } must be one of: { $choices }.
form-expired = This form had expired. Check it and submit it again.
form-correct = Please correct the fields marked below. Nothing was saved.
ticket-created = Ticket #{ $id } created.
comment-added = Your comment was added.
ticket-saved = Changes saved.
tenant-flows-environment-invalid = An environment name has only letters, digits and hyphens, such as Default-… or a GUID.
tenant-flows-saved = Saved. Your people see the change on their next page.
