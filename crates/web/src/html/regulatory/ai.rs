//! The system's "AI" tab: whether it contains an AI system, its risk class
//! under the AI Act, the organisation's role and, for high-risk use, the
//! fundamental-rights impact assessment (FRIA, art. 27); what someone must
//! act on in words. Secret by default: never in the public register.

use super::super::continuity::Words;
use super::super::*;
use crate::context::SystemPath;
use insyn_domain::auth::OnSystem;
use insyn_domain::regulatory::*;

#[derive(Template)]
#[template(path = "ai_act.html")]
pub(in crate::html) struct AiPage {
    w: Words,
    c: Chrome,
    s: System,
    can: OnSystem,
    facts: AiActFacts,
}

impl AiPage {
    pub fn base(&self) -> String {
        format!("/o/{}/systems/{}", self.c.org_slug(), self.s.id)
    }

    pub fn presences(&self) -> &'static [AiActPresence] {
        AiActPresence::ALL
    }

    pub fn risk_classes(&self) -> &'static [AiActRiskClass] {
        AiActRiskClass::ALL
    }

    pub fn roles(&self) -> &'static [AiActRole] {
        AiActRole::ALL
    }

    /// A word of a choice: `ai-contains-yes`, `ai-risk-high-risk`, `ai-role-deployer`.
    pub fn word(&self, group: &str, value: &str) -> String {
        self.c.t(&format!("ai-{group}-{}", value.replace('_', "-")))
    }

    /// An optional choice in words, "–" when none.
    pub fn opt_word(&self, group: &str, value: Option<String>) -> String {
        value.map_or_else(|| "–".into(), |v| self.word(group, &v))
    }

    pub fn finding(&self, f: &AiActFinding) -> String {
        self.c.t(f.key())
    }

    pub fn text(&self, t: &Option<String>) -> String {
        t.clone().unwrap_or_else(|| "–".into())
    }

    /// A field of the form: as posted when it came back, else as stored.
    pub fn value(&self, name: &str) -> String {
        self.w.value("ai", name, self.value_of(name))
    }

    /// A field as stored.
    pub fn value_of(&self, name: &str) -> Option<String> {
        let d = &self.facts.draft;
        match name {
            "contains_ai" => Some(d.contains_ai.as_str().to_owned()),
            "risk_class" => d.risk_class.map(|x| x.as_str().to_owned()),
            "role" => d.role.map(|x| x.as_str().to_owned()),
            "description" => d.description.clone(),
            "fria_on" => d.fria_on.map(|x| x.to_string()),
            "fria_reference" => d.fria_reference.clone(),
            _ => None,
        }
    }
}

async fn view(cx: &Cx, org: Organisation, sid: SystemId, w: Option<Words>) -> AppResult<Response> {
    let store = cx.store();
    let page = AiPage {
        w: w.unwrap_or_else(|| Words::new(cx.chrome(Some(org.clone()), "systems"))),
        c: cx.chrome(Some(org.clone()), "systems"),
        can: cx.on_system(org.id, sid).await?,
        facts: store.ai_act(org.id, sid).await?,
        s: store.get_system(org.id, sid).await?,
    };
    Ok(form_page(&page.w.errors, &page))
}

pub(in crate::html) async fn ai_page(cx: Cx, at: SystemPath) -> AppResult<Response> {
    view(&cx, at.org, at.system, None).await
}

fn draft(f: &FormData) -> Result<AiActDraft, FieldErrors> {
    let mut e = FieldErrors::new();
    let contains_ai = f.choice("contains_ai", &mut e, AiActPresence::parse);
    if contains_ai.is_none() && e.get("contains_ai").is_none() {
        e.add("contains_ai", v::REQUIRED);
    }
    let d = AiActDraft {
        contains_ai: contains_ai.unwrap_or(AiActPresence::Unknown),
        risk_class: f.choice("risk_class", &mut e, AiActRiskClass::parse),
        role: f.choice("role", &mut e, AiActRole::parse),
        description: f.opt("description"),
        fria_on: f.date("fria_on", &mut e),
        fria_reference: f.opt("fria_reference"),
    };
    e.into_result(d)
}

pub(in crate::html) async fn save_ai(cx: Cx, at: SystemPath, f: FormData) -> AppResult<Response> {
    let (org, system, today) = (at.org.id, at.system, crate::nav::today());
    let set = async |d| {
        cx.store()
            .set_ai_act(&cx.actor, org, system, d, today)
            .await
    };
    let posted = submit(draft(&f), set).await?;
    let done = format!("/o/{}/systems/{}/ai?saved=1", at.org.slug, at.system);
    let again = async |w| view(&cx, at.org.clone(), at.system, Some(w)).await;
    Words::after(&cx, &at.org, done, "ai", f, posted, again).await
}
