# insyn – svenska (standard)

## Ramverk
skip-to-content = Hoppa till innehållet
switch-language = English
nav-main = Huvudmeny
nav-systems = Systemregister
nav-organisation = Organisation
nav-people = Personer
footer-text = insyn – register och styrning av kommunens IT-system
footer-api = API (OpenAPI)
back-to-start = Till startsidan
breadcrumb = Du är här
required = obligatoriskt
choose-none = – Inget valt –
save = Spara
cancel = Avbryt
edit = Ändra
archive = Arkivera
restore = Återställ
archived = Arkiverat
actions = Åtgärder
yes = Ja
no = Nej
licences = licenser
flash-saved = Ändringarna är sparade.

## Startsida och organisation
home-title = Organisationer
home-lead = Välj organisation för att se dess systemregister.
home-empty = Det finns inga organisationer ännu. Starta med "insyn demo" för en exempelkommun.
org-kind-municipality = Kommun
org-kind-company = Kommunalt bolag
org-part-of = ingår i
org-companies = Bolag
org-tree = Organisationsträd
org-tree-empty = Inga enheter är registrerade.
org-overlaps = System med samma förmåga
org-overlaps-lead = Förmågor som fler än ett system stödjer. Kontrollera om behovet redan är täckt innan ni köper nytt.
org-overlaps-none = Inga överlapp hittades.
org-overlaps-count = Antal system
unit-name = Enhet
unit-level = Nivå
unit-systems = System
unit-children = Underliggande enheter
unit-roles = Roller för enheten
unit-systems-heading = System som enheten ansvarar för eller använder
unit-open-in-register = Visa i systemregistret

## Systemregistret
register-title = Systemregister
register-filter = Filtrera systemregistret
register-search = Sök
register-search-hint = Söker i namn, beskrivning, syfte, leverantör, förmågor och taggar. Delar av ord räcker.
register-none = Inga system matchar urvalet.
register-showing = Visar { $range }
register-of-total = { $n ->
    [one] av { $n } system
   *[other] av { $n } system
}
filter-all = Alla
filter-no-owner = Saknar systemägare
filter-include-archived = Visa arkiverade
filter-holder = Rollinnehavare
filter-holder-hint = E-post eller namn
error-no-such-person = Ingen person med den e-postadressen eller det namnet.
filter-apply = Visa
filter-clear = Rensa filter
col-critical = Verksamhetskritiskt
owner-missing = Saknas
pager = Sidor
pager-prev = Föregående sida
pager-next = Nästa sida
pager-page = Sida { $page }

## Livscykel och drift
lifecycle-planned = Planerat
lifecycle-procuring = Upphandlas
lifecycle-in_operation = I drift
lifecycle-phasing_out = Under avveckling
lifecycle-decommissioned = Avvecklat
hosting-internal = I kommunens nät
hosting-saas = Utanför nätet: molntjänst (SaaS)
hosting-external = Utanför nätet: extern drift

## Systemets fält
field-name = Systemnamn
field-short-name = Kortnamn
field-description = Beskrivning
field-purpose = Syfte
field-responsible-unit = Ansvarig enhet
field-responsible-unit-id = Ansvarig enhet
field-using-unit-ids = Enheter som använder systemet
field-vendor = Leverantör
field-product-id = Produkt
field-version = Version
field-hosting = Drift
field-user-count = Antal användare
field-business-critical = Verksamhetskritiskt
field-lifecycle = Livscykel
field-go-live-date = Driftsättningsdatum
field-end-date = Slutdatum
field-licence-model = Licensmodell
field-licence-count = Antal licenser
field-escalation-route = Felanmälningsväg
field-doc-links = Dokumentation och användarhandledningar
field-capabilities = Förmågor
field-tags = Taggar
field-notes = Anteckningar
field-role-type-id = Roll
field-person = Person
field-start-date = Från
field-parent-id = Överordnad enhet
field-slug = Kortnamn i adressen
field-email = E-post
field-unit-id = Enhet
field-system-id = System
field-person-id = Person
field-level = Nivå
field-title = Titel
field-password = Lösenord
field-code = Kod

## Systemsidan
system-new = Nytt system
system-edit = Ändra system
system-details = Uppgifter
system-roles = Roller och ansvar
system-roles-none = Ingen har någon roll för systemet ännu.
system-overlaps = Andra system med samma förmåga
system-overlaps-lead = Dessa system stödjer samma förmåga. Kan behovet täckas av ett av dem?
role = Roll
role-system-owner = Systemägare
person = Person
from = Från
to = Till
role-end = Avsluta
role-ended = Avslutad
role-assign = Tilldela roll
role-assign-button = Tilldela
role-person-hint = Skriv personens e-postadress eller namn.
history = Historik
history-none = Ingen historik.
history-when = När
history-who = Vem
history-what = Händelse
history-fields = Ändrade fält
action-create = Skapat
action-update = Ändrat
action-archive = Arkiverat
action-restore = Återställt
action-demo = Demodata inlästa

## Formuläret
form-basics = Grunduppgifter
form-responsibility = Ansvar och användning
form-technology = Leverantör och teknik
form-use = Användning och livscykel
form-licences = Licenser
form-support = Support och dokumentation
form-grouping = Förmågor, taggar och anteckningar
hint-escalation-route = Vem servicedesk eskalerar fel till, i ordning.
hint-doc-links = En länk per rad, gärna som "Namn | https://…".
hint-list = Separera med kommatecken.
error-summary = Formuläret innehåller fel

## Personer
people-title = Personer
people-search = Sök person
people-count = { $n ->
    [one] { $n } person
   *[other] { $n } personer
}
person-name = Namn
person-title = Titel
person-email = E-post
person-status = Status
person-active = Aktiv
person-left = Slutat
person-unit = Enhet
person-answers-for = Det här ansvarar personen för
person-no-roles = Personen har inga aktuella roller.
person-systems-in-register = Visa personens system i registret
person-on = Gäller
person-past-roles = Tidigare roller

person-new = Ny person
person-edit = Ändra person
field-active = Aktiv (har inte slutat)
unit-new = Ny enhet
unit-edit = Ändra enhet
unit-new-child = Ny underliggande enhet

## Fel
error-not-found = Sidan finns inte
error-not-found-detail = Det du söker finns inte, eller så hör det till en annan organisation.
error-invalid = Uppgifterna är inte giltiga
error-bad-request = Felaktig begäran
error-bad-request-detail = Begäran kunde inte tolkas.
error-internal = Något gick fel
error-internal-detail = Ett oväntat fel inträffade. Ingenting har ändrats. Försök igen om en stund.
error-required = Fyll i fältet.
error-too-long = Texten är för lång.
error-not-a-number = Ange ett heltal, till exempel 1 250.
error-negative = Talet får inte vara negativt.
error-not-a-date = Ange ett datum som ÅÅÅÅ-MM-DD.
error-end-before-start = Slutdatumet ligger före startdatumet.
error-unknown-choice = Välj ett av alternativen.
error-unknown-reference = Det valda finns inte i den här organisationen.
error-not-an-email = Ange en giltig e-postadress.
error-not-a-url = Ange en fullständig webbadress som börjar med https://.
error-not-a-slug = Använd bara små bokstäver a–z, siffror och bindestreck.
error-taken = Det finns redan ett med samma namn.
error-cycle = En enhet kan inte ligga under sig själv.
error-wrong-target = Rollen kan inte ges för det här.
error-wrong-type = Värdet har fel form, till exempel text där ett tal ska stå.
error-unauthorized = Du behöver logga in
error-unauthorized-detail = Logga in för att fortsätta.
error-forbidden = Du har inte behörighet
error-forbidden-detail = Din roll ger inte rätt att göra det här. Kontakta IT-enheten om du behöver det.
error-too-many-requests = För många försök
error-too-many-requests-detail = Vänta en stund och försök igen.
error-password-too-short = Lösenordet måste ha minst 12 tecken.

## Inloggning och konto
nav-users = Användare
nav-audit = Logg
logout = Logga ut
login-title = Logga in
login-lead = Logga in för att se och förvalta kommunens systemregister.
login-password = Lösenord
login-button = Logga in
login-failed = Fel e-postadress eller lösenord.
login-too-many = För många misslyckade försök. Vänta en kvart och försök igen.
login-oidc = Logga in med kommunens inloggning
login-or-password = Eller logga in med lösenord:
account-title = Mitt konto
account-roles = Roller
account-no-roles = Du har ingen roll ännu. Kontakta IT-enheten.
account-sessions = Inloggningar
account-sessions-lead = Logga ut från alla webbläsare och enheter där du är inloggad.
account-logout-all = Logga ut överallt
tokens-title = API-nycklar
tokens-lead = En API-nyckel låter ett annat system läsa eller ändra registret i ditt namn. Skicka den som "Authorization: Bearer …".
tokens-created = Den nya nyckeln visas bara nu. Kopiera och spara den på ett säkert ställe.
tokens-name = Namn
tokens-scope = Behörighet
tokens-scope-read = Läsa
tokens-scope-write = Läsa och ändra
tokens-create = Skapa nyckel
tokens-created-at = Skapad
tokens-last-used = Senast använd
tokens-never-used = Aldrig
tokens-revoke = Återkalla
tokens-revoked = Återkallad
grant-all-orgs = Alla organisationer
app-role-administrator = Administratör
app-role-security_coordinator = Informationssäkerhetssamordnare
app-role-editor = Redaktör
app-role-reader = Läsare
users-title = Användare
users-new = Ny användare
users-edit = Ändra användare
users-last-login = Senast inloggad
users-inactive = Avstängd
users-active = Aktiv (kan logga in)
users-no-role = Ingen roll
users-roles-hint = En roll per organisation. "Alla organisationer" gäller i varje organisation.
users-new-password = Nytt lösenord
users-password-hint = Minst 12 tecken. Lämna tomt för att inte ändra, eller för användare som loggar in med kommunens inloggning.
users-field-email = E-post
users-field-name = Namn
users-field-password = Lösenord
users-field-org = Organisation
audit-title = Logg över ändringar
audit-lead = Varje ändring i registret: vem, när och vad. Loggen kan inte ändras i efterhand utan att det märks.
audit-search = Sök i loggen
audit-from = Från och med
audit-to = Till och med
audit-limit = Antal
audit-object-id = Objekt
audit-export-csv = Exportera som CSV
audit-count = { $n ->
    [one] { $n } händelse
   *[other] { $n } händelser
}
audit-col-at = Tidpunkt
audit-col-actor = Vem
audit-col-action = Händelse
audit-col-object-type = Typ av uppgift
audit-col-object-id = Objektets id
audit-col-request-id = Begärans id
audit-col-changes = Ändringar
object-system = System
object-unit = Enhet
object-person = Person
object-role_assignment = Rolltilldelning
object-role_type = Rolltyp
object-organisation = Organisation
object-user = Användare
object-api_token = API-nyckel
object-product = Produkt
action-revoke = Återkallat
