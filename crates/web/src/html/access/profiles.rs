//! The access profile form: a new profile of a system, changing one, and
//! archiving one (it can no longer be ordered; its holdings stay). The
//! parties left empty on a new profile come from the policy profile.

use super::*;
use crate::access_facts::profile_at;
use crate::forms::FormData;

/// The parties one may choose: the manager, automatic (deciding only), and
/// each role type on systems.
async fn party_options(cx: &Cx, org: OrgId) -> AppResult<Vec<(String, String)>> {
    let mut out = vec![
        ("manager".to_owned(), cx.t("access-party-manager")),
        ("automatic".to_owned(), cx.t("access-party-automatic")),
    ];
    for r in cx.store().list_role_types(org).await? {
        if r.scope == RoleScope::System {
            let name = if cx.lang == Lang::En {
                r.name_en
            } else {
                r.name_sv
            };
            out.push((r.code, name));
        }
    }
    Ok(out)
}

fn checkbox(form: &FormData, name: &'static str, label: &'static str) -> FormField {
    let on = if form.checked(name) { "on" } else { "" };
    FormField::text(name, label, on.to_owned(), false).kind("checkbox")
}

fn fields(form: &FormData, parties: Vec<(String, String)>) -> Vec<FormField> {
    let text =
        |name, label, required| FormField::text(name, label, form.get(name).to_owned(), required);
    let party =
        |name, label| FormField::select(name, label, form.get(name).to_owned(), parties.clone());
    vec![
        text("name", "access-profile-name", true),
        text("grants", "access-profile-grants", false),
        checkbox(form, "personal_data", "access-profile-personal-data"),
        checkbox(form, "secret_info", "access-profile-secret-info"),
        text("max_holders", "access-profile-max-holders", false).kind("number"),
        checkbox(form, "reason_required", "access-profile-reason-required"),
        party("orderer", "access-orderer"),
        party("decider", "access-decider"),
        party("executor", "access-executor"),
    ]
}

fn draft(form: &FormData) -> Result<AccessProfileDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let max_holders = match form.get("max_holders") {
        "" => None,
        s => v::parse_count(s)
            .map_err(|code| e.add("max_holders", code))
            .ok(),
    };
    let mut party = |name: &str| match form.get(name) {
        "" => None,
        s => {
            let p = Party::parse(s);
            if p.is_none() {
                e.add(name, v::UNKNOWN_CHOICE);
            }
            p
        }
    };
    let d = AccessProfileDraft {
        name: form.get("name").to_owned(),
        grants: form.opt("grants"),
        personal_data: form.checked("personal_data"),
        secret_info: form.checked("secret_info"),
        max_holders,
        reason_required: form.checked("reason_required"),
        orderer: party("orderer"),
        decider: party("decider"),
        executor: party("executor"),
    };
    e.into_result(d)
}

async fn profile_form(
    cx: &Cx,
    at: &SystemPath,
    profile: Option<AccessProfileId>,
    form: FormData,
    errors: FieldErrors,
) -> AppResult<Response> {
    let base = system_base(&at.org, at.system);
    let (heading, action) = match profile {
        Some(p) => ("access-profile-edit", format!("{base}/access/profiles/{p}")),
        None => ("access-profile-new", format!("{base}/access/profiles")),
    };
    Ok(SimpleForm {
        heading: cx.t(heading),
        action,
        cancel: format!("{base}/access"),
        fields: fields(&form, party_options(cx, at.org.id).await?),
        errors,
        c: cx.chrome(Some(at.org.clone()), "systems"),
    }
    .respond())
}

pub(in crate::html) async fn new_profile(cx: Cx, at: SystemPath) -> AppResult<Response> {
    cx.store().get_system(at.org.id, at.system).await?;
    profile_form(&cx, &at, None, FormData::default(), FieldErrors::new()).await
}

pub(in crate::html) async fn edit_profile(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let p = profile_at(cx.store(), &at).await?;
    let on = |b: bool| if b { "on" } else { "" }.to_owned();
    let form = FormData(vec![
        ("name".into(), p.name.clone()),
        ("grants".into(), p.grants.clone().unwrap_or_default()),
        ("personal_data".into(), on(p.personal_data)),
        ("secret_info".into(), on(p.secret_info)),
        (
            "max_holders".into(),
            p.max_holders.map(|n| n.to_string()).unwrap_or_default(),
        ),
        ("reason_required".into(), on(p.reason_required)),
        ("orderer".into(), p.orderer.to_string()),
        ("decider".into(), p.decider.to_string()),
        ("executor".into(), p.executor.to_string()),
    ]);
    profile_form(&cx, &at, Some(p.id), form, FieldErrors::new()).await
}

pub(in crate::html) async fn create_profile(
    cx: Cx,
    at: SystemPath,
    form: FormData,
) -> AppResult<Response> {
    let (org, system) = (at.org.id, at.system);
    let defaults = cx.store().active_profile(org).await?.profile;
    let create = async |d| {
        let parties = defaults.access_parties();
        cx.store()
            .create_access_profile(&cx.actor, org, system, d, &parties)
            .await
    };
    match submit(draft(&form), create).await? {
        Posted::Done(_) => saved(&at),
        Posted::Invalid(errors) => profile_form(&cx, &at, None, form, errors).await,
    }
}

pub(in crate::html) async fn update_profile(
    cx: Cx,
    at: SystemPath,
    form: FormData,
) -> AppResult<Response> {
    let p = profile_at(cx.store(), &at).await?;
    let update = async |d| {
        cx.store()
            .update_access_profile(&cx.actor, at.org.id, p.id, d)
            .await
    };
    match submit(draft(&form), update).await? {
        Posted::Done(_) => saved(&at),
        Posted::Invalid(errors) => profile_form(&cx, &at, Some(p.id), form, errors).await,
    }
}

pub(in crate::html) async fn archive_profile(cx: Cx, at: SystemPath) -> AppResult<Response> {
    let p = profile_at(cx.store(), &at).await?;
    cx.store()
        .archive_access_profile(&cx.actor, at.org.id, p.id)
        .await?;
    saved(&at)
}

/// Back to the tab's profiles, saying the change is saved.
fn saved(at: &SystemPath) -> AppResult<Response> {
    see(format!(
        "{}/access?saved=1#profiles",
        system_base(&at.org, at.system)
    ))
}
