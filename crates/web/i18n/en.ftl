# insyn – English

## Frame
skip-to-content = Skip to content
switch-language = Svenska
nav-main = Main menu
nav-systems = System register
nav-organisation = Organisation
nav-people = People
footer-text = insyn – register and governance of the municipality's IT systems
footer-api = API (OpenAPI)
back-to-start = Back to the start page
breadcrumb = You are here
required = required
choose-none = – None –
save = Save
cancel = Cancel
edit = Edit
archive = Archive
restore = Restore
archived = Archived
actions = Actions
yes = Yes
no = No
licences = licences
flash-saved = Your changes have been saved.

## Start page and organisation
home-title = Organisations
home-lead = Choose an organisation to see its system register.
home-empty = There are no organisations yet. Start with "insyn demo" for an example municipality.
org-kind-municipality = Municipality
org-kind-company = Municipal company
org-part-of = part of
org-companies = Companies
org-tree = Organisation tree
org-tree-empty = No units are registered.
org-overlaps = Systems with the same capability
org-overlaps-lead = Capabilities served by more than one system. Check whether the need is already covered before buying something new.
org-overlaps-none = No overlaps found.
org-overlaps-count = Number of systems
unit-name = Unit
unit-level = Level
unit-systems = Systems
unit-children = Units below
unit-roles = Roles for the unit
unit-systems-heading = Systems the unit is responsible for or uses
unit-open-in-register = Show in the system register

## The register
register-title = System register
register-filter = Filter the system register
register-search = Search
register-search-hint = Searches names, descriptions, purposes, vendors, capabilities and tags. Parts of words are enough.
register-none = No systems match the selection.
register-showing = Showing { $range }
register-of-total = { $n ->
    [one] of { $n } system
   *[other] of { $n } systems
}
filter-all = All
filter-no-owner = No system owner
filter-include-archived = Show archived
filter-holder = Role holder
filter-holder-hint = E-mail or name
error-no-such-person = No person has that e-mail address or name.
filter-apply = Show
filter-clear = Clear filters
col-critical = Business-critical
owner-missing = Missing
pager = Pages
pager-prev = Previous page
pager-next = Next page
pager-page = Page { $page }

## Lifecycle and hosting
lifecycle-planned = Planned
lifecycle-procuring = Being procured
lifecycle-in_operation = In operation
lifecycle-phasing_out = Being phased out
lifecycle-decommissioned = Decommissioned
hosting-internal = Inside the municipal network
hosting-saas = Outside the network: cloud service (SaaS)
hosting-external = Outside the network: external operation

## System fields
field-name = System name
field-short-name = Short name
field-description = Description
field-purpose = Purpose
field-responsible-unit = Responsible unit
field-responsible-unit-id = Responsible unit
field-using-unit-ids = Units using the system
field-vendor = Vendor
field-product-id = Product
field-version = Version
field-hosting = Hosting
field-user-count = Number of users
field-business-critical = Business-critical
field-lifecycle = Lifecycle
field-go-live-date = Go-live date
field-end-date = End date
field-licence-model = Licence model
field-licence-count = Number of licences
field-escalation-route = Error-handling route
field-doc-links = Documentation and user guides
field-capabilities = Capabilities
field-tags = Tags
field-notes = Notes
field-role-type-id = Role
field-person = Person
field-start-date = From
field-parent-id = Parent unit
field-slug = Short name in the address
field-email = E-mail
field-unit-id = Unit
field-system-id = System
field-person-id = Person
field-level = Level
field-title = Title
field-password = Password
field-code = Code

## System page
system-new = New system
system-edit = Edit system
system-details = Details
system-roles = Roles and responsibilities
system-roles-none = Nobody holds a role for this system yet.
system-overlaps = Other systems with the same capability
system-overlaps-lead = These systems serve the same capability. Could one of them cover the need?
role = Role
role-system-owner = System owner
person = Person
from = From
to = To
role-end = End
role-ended = Ended
role-assign = Assign a role
role-assign-button = Assign
role-person-hint = Type the person's e-mail address or name.
history = History
history-none = No history.
history-when = When
history-who = Who
history-what = Event
history-fields = Changed fields
action-create = Created
action-update = Changed
action-archive = Archived
action-restore = Restored
action-demo = Demo data loaded

## The form
form-basics = Basic information
form-responsibility = Responsibility and use
form-technology = Vendor and technology
form-use = Use and lifecycle
form-licences = Licences
form-support = Support and documentation
form-grouping = Capabilities, tags and notes
hint-escalation-route = Whom the service desk escalates faults to, in order.
hint-doc-links = One link per line, preferably as "Name | https://…".
hint-list = Separate with commas.
error-summary = The form has errors

## People
people-title = People
people-search = Search people
people-count = { $n ->
    [one] { $n } person
   *[other] { $n } people
}
person-name = Name
person-title = Title
person-email = E-mail
person-status = Status
person-active = Active
person-left = Left
person-unit = Unit
person-answers-for = What this person answers for
person-no-roles = The person holds no current roles.
person-systems-in-register = Show the person's systems in the register
person-on = For
person-past-roles = Earlier roles

person-new = New person
person-edit = Edit person
field-active = Active (has not left)
unit-new = New unit
unit-edit = Edit unit
unit-new-child = New unit below

## Errors
error-not-found = Page not found
error-not-found-detail = What you are looking for does not exist, or it belongs to another organisation.
error-invalid = The data is not valid
error-bad-request = Bad request
error-bad-request-detail = The request could not be understood.
error-internal = Something went wrong
error-internal-detail = An unexpected error occurred. Nothing was changed. Please try again in a moment.
error-required = Fill in this field.
error-too-long = The text is too long.
error-not-a-number = Enter a whole number, for example 1 250.
error-negative = The number must not be negative.
error-not-a-date = Enter a date as YYYY-MM-DD.
error-end-before-start = The end date is before the start date.
error-unknown-choice = Choose one of the options.
error-unknown-reference = The chosen item does not exist in this organisation.
error-not-an-email = Enter a valid e-mail address.
error-not-a-url = Enter a full web address starting with https://.
error-not-a-slug = Use only lower-case letters a–z, digits and hyphens.
error-taken = There is already one with the same name.
error-cycle = A unit cannot be placed below itself.
error-wrong-target = The role cannot be given for this.
error-wrong-type = The value has the wrong form, for example text where a number belongs.
error-unauthorized = You need to sign in
error-unauthorized-detail = Sign in to continue.
error-forbidden = You are not allowed to do this
error-forbidden-detail = Your role does not allow this. Contact the IT unit if you need it.
error-too-many-requests = Too many attempts
error-too-many-requests-detail = Wait a while and try again.
error-password-too-short = The password must have at least 12 characters.

## Sign-in and account
nav-users = Users
nav-audit = Log
logout = Sign out
login-title = Sign in
login-lead = Sign in to see and keep the municipality's system register.
login-password = Password
login-button = Sign in
login-failed = Wrong e-mail address or password.
login-too-many = Too many failed attempts. Wait a quarter of an hour and try again.
login-oidc = Sign in with the municipality's sign-in
login-or-password = Or sign in with a password:
account-title = My account
account-roles = Roles
account-no-roles = You have no role yet. Contact the IT unit.
account-sessions = Sign-ins
account-sessions-lead = Sign out of every browser and device where you are signed in.
account-logout-all = Sign out everywhere
tokens-title = API tokens
tokens-lead = An API token lets another system read or change the register in your name. Send it as "Authorization: Bearer …".
tokens-created = The new token is shown only now. Copy it and keep it somewhere safe.
tokens-name = Name
tokens-scope = Access
tokens-scope-read = Read
tokens-scope-write = Read and change
tokens-create = Create token
tokens-created-at = Created
tokens-last-used = Last used
tokens-never-used = Never
tokens-revoke = Revoke
tokens-revoked = Revoked
grant-all-orgs = All organisations
app-role-administrator = Administrator
app-role-security_coordinator = Information security coordinator
app-role-editor = Editor
app-role-reader = Reader
users-title = Users
users-new = New user
users-edit = Edit user
users-last-login = Last signed in
users-inactive = Blocked
users-active = Active (can sign in)
users-no-role = No role
users-roles-hint = One role per organisation. "All organisations" applies in every organisation.
users-new-password = New password
users-password-hint = At least 12 characters. Leave empty to keep it, or for users who sign in with the municipality's sign-in.
users-field-email = E-mail
users-field-name = Name
users-field-password = Password
users-field-org = Organisation
audit-title = Log of changes
audit-lead = Every change to the register: who, when and what. The log cannot be altered afterwards without it showing.
audit-search = Search the log
audit-from = From
audit-to = To
audit-limit = Count
audit-object-id = Object
audit-export-csv = Export as CSV
audit-count = { $n ->
    [one] { $n } event
   *[other] { $n } events
}
audit-col-at = Time
audit-col-actor = Who
audit-col-action = Event
audit-col-object-type = Kind of record
audit-col-object-id = Record id
audit-col-request-id = Request id
audit-col-changes = Changes
object-system = System
object-unit = Unit
object-person = Person
object-role_assignment = Role assignment
object-role_type = Role type
object-organisation = Organisation
object-user = User
object-api_token = API token
object-product = Product
action-revoke = Revoked
