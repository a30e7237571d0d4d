//! Compliance: the facts the rules ask about, gathered from the database in
//! a fixed number of statements and judged by `insyn_domain::policy`.

use crate::db::{Queryable, Result};
use crate::{Store, params};
use chrono::NaiveDate;
use insyn_domain::policy::*;
use insyn_domain::security::{ApprovalStatus, CurrentBasis, PlanStatus, approval_status};
use insyn_domain::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use uuid::Uuid;

impl Store {
    /// The organisation's compliance under its profile on `today`
    /// (every system, or one).
    pub async fn compliance(
        &self,
        org: OrgId,
        only: Option<SystemId>,
        today: NaiveDate,
    ) -> Result<Compliance> {
        let profile = self.active_profile(org).await?;
        let mut read = self.db.read();
        let mut facts = gather(&mut read, org, only, today).await?;
        if only.is_none() && profile.profile.incidents.is_some() {
            facts.closed_incidents = Some(closed_incidents(&mut read, org).await?);
        }
        Ok(Compliance::evaluate(profile, facts, today))
    }
}

/// The organisation's closed incidents, whether their lessons learned are
/// written, in one statement (the compliance page reads it on every visit).
async fn closed_incidents(q: &mut impl Queryable, org: OrgId) -> Result<Vec<ClosedIncident>> {
    q.all(
        "SELECT id, number, closed_at, (lessons IS NOT NULL AND TRIM(lessons) <> '') AS written \
         FROM incidents WHERE org_id = $1 AND status = 'closed' AND closed_at IS NOT NULL",
        params![org.0],
        |r| {
            Ok(ClosedIncident {
                id: r.uuid("id")?,
                number: r.i64("number")?,
                closed_on: insyn_domain::swedish_time::stockholm(r.ts("closed_at")?).date(),
                lessons_written: r.bool("written")?,
            })
        },
    )
    .await
}

fn keep_latest(map: &mut BTreeMap<String, NaiveDate>, key: &str, day: NaiveDate) {
    let e = map.entry(key.to_owned()).or_insert(day);
    if day > *e {
        *e = day;
    }
}

/// Reads what the rules ask about every system of the organisation (or one)
/// in a fixed number of statements, whatever the number of systems.
async fn gather(
    q: &mut impl Queryable,
    org: OrgId,
    only: Option<SystemId>,
    today: NaiveDate,
) -> Result<OrgFacts> {
    let filter = |col: &str| match only {
        Some(_) => format!(" AND {col} = $2"),
        None => String::new(),
    };
    // The one system's rows and the organisation's own (no system).
    let with_org = |col: &str| match only {
        Some(_) => format!(" AND ({col} = $2 OR {col} IS NULL)"),
        None => String::new(),
    };
    let p = || {
        let mut p = params![org.0];
        if let Some(s) = only {
            p.push(s.0.into());
        }
        p
    };
    let (org_created, adopted) = q
        .one(
            "SELECT created_at, policy_adopted_on FROM organisations WHERE id = $1",
            params![org.0],
            |r| {
                Ok((
                    r.ts("created_at")?.date_naive(),
                    r.opt_date("policy_adopted_on")?,
                ))
            },
        )
        .await?;

    // Units: each system's förvaltning is the top of its unit's branch.
    let units: BTreeMap<Uuid, (Option<Uuid>, String)> = q
        .all(
            "SELECT id, parent_id, name FROM units WHERE org_id = $1",
            params![org.0],
            |r| Ok((r.uuid("id")?, (r.opt_uuid("parent_id")?, r.text("name")?))),
        )
        .await?
        .into_iter()
        .collect();
    let division = |mut u: Uuid| {
        for _ in 0..64 {
            match units.get(&u) {
                Some((Some(parent), _)) => u = *parent,
                Some((None, name)) => return Some(name.clone()),
                None => return None,
            }
        }
        None
    };

    struct Row {
        id: Uuid,
        name: String,
        unit: Option<Uuid>,
        facts: SystemFacts,
    }
    let rows = q
        .all(
            &format!(
                "SELECT id, name, responsible_unit_id, business_critical, user_count, hosting, lifecycle, go_live_date, created_at \
                 FROM systems WHERE org_id = $1 AND archived = FALSE{} ORDER BY name_key",
                filter("id")
            ),
            p(),
            |r| {
                let mut f = SystemFacts::new(r.ts("created_at")?.date_naive());
                f.business_critical = r.bool("business_critical")?;
                f.user_count = r.opt_i64("user_count")?;
                f.go_live = r.opt_date("go_live_date")?;
                f.adopted = adopted;
                f.hosting = Hosting::parse(&r.text("hosting")?).unwrap_or(Hosting::Internal);
                f.lifecycle =
                    Lifecycle::parse(&r.text("lifecycle")?).unwrap_or(Lifecycle::InOperation);
                Ok(Row {
                    id: r.uuid("id")?,
                    name: r.text("name")?,
                    unit: r.opt_uuid("responsible_unit_id")?,
                    facts: f,
                })
            },
        )
        .await?;
    let index: BTreeMap<Uuid, usize> = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let mut systems: Vec<SystemRecord> = rows
        .into_iter()
        .map(|r| SystemRecord {
            id: SystemId(r.id),
            name: r.name,
            division: r.unit.and_then(&division),
            holders: Holders::default(),
            facts: r.facts,
        })
        .collect();
    macro_rules! each {
        ($id:expr, |$b:ident, $f:ident| $body:block) => {
            if let Some(&i) = index.get(&$id) {
                let SystemRecord {
                    holders: $b,
                    facts: $f,
                    ..
                } = &mut systems[i];
                let _ = &$b;
                $body
            }
        };
    }

    // Restore tests that missed their RTO or RPO, their actions not all done.
    for (sid, since) in crate::continuity::failed_restore_tests(q, org, only).await? {
        each!(sid.0, |_b, f| {
            f.continuity.failed_restore_test = Some(since);
        });
    }

    // Roles held on systems, and unit-level roles anywhere in the organisation.
    let mut org_holders: BTreeMap<String, Vec<Holder>> = BTreeMap::new();
    let assignments = q
        .all(
            &format!(
                "SELECT ra.system_id, rt.code, ra.start_date, ra.end_date, pe.name, pe.email, pe.active \
                 FROM role_assignments ra JOIN role_types rt ON rt.id = ra.role_type_id \
                 JOIN people pe ON pe.id = ra.person_id WHERE ra.org_id = $1{}",
                with_org("ra.system_id")
            ),
            p(),
            |r| {
                Ok((
                    r.opt_uuid("system_id")?,
                    r.text("code")?,
                    r.date("start_date")?,
                    r.opt_date("end_date")?,
                    (r.text("name")?, r.opt_text("email")?),
                    r.bool("active")?,
                ))
            },
        )
        .await?;
    // One shared name and code per person and role, however many systems they hold it on.
    let mut people: HashMap<(String, Option<String>), Holder> = HashMap::new();
    let mut codes: HashMap<String, Arc<str>> = HashMap::new();
    for (system, code, start, end, (name, email), active) in assignments {
        let current = active && start <= today && end.is_none_or(|e| e >= today);
        match system {
            Some(sid) => each!(sid, |b, f| {
                if current {
                    let holder = people
                        .entry((name, email))
                        .or_insert_with_key(|(n, e)| Holder {
                            name: n.as_str().into(),
                            email: e.as_deref().map(Arc::from),
                        })
                        .clone();
                    let code = codes.entry(code).or_insert_with_key(|c| c.as_str().into());
                    b.add(code, holder);
                    f.roles.insert(code.to_string());
                } else if let Some(e) = end.filter(|e| *e < today) {
                    keep_latest(&mut f.roles_ended, &code, e);
                }
            }),
            None if current => {
                let holder = Holder {
                    name: name.into(),
                    email: email.map(Arc::from),
                };
                let h = org_holders.entry(code).or_default();
                if !h.contains(&holder) {
                    h.push(holder);
                }
            }
            None => {}
        }
    }
    for s in &mut systems {
        let f = &mut s.facts;
        // Someone who lost their role keeps no "ended" date while another holds it.
        f.roles_ended.retain(|c, _| !f.roles.contains(c));
        s.holders.shrink_to_fit();
    }

    // Classification: every active information set classified and none
    // expired; the levels and personal data of those sets.
    let sets = q
        .all(
            &format!(
                "SELECT s.system_id, s.personal_data, s.sensitive_personal_data, c.id AS class_id, \
                 c.confidentiality, c.integrity, c.availability, c.traceability, c.classified_at, c.valid_until \
                 FROM information_sets s LEFT JOIN classifications c ON c.seq = \
                 (SELECT MAX(x.seq) FROM classifications x WHERE x.information_set_id = s.id) \
                 WHERE s.org_id = $1 AND s.archived = FALSE{}",
                filter("s.system_id")
            ),
            p(),
            |r| {
                let levels = match r.opt_uuid("class_id")? {
                    Some(_) => Some((
                        r.opt_i32("confidentiality")?.map(|c| c as i16),
                        [
                            r.opt_i32("confidentiality")?,
                            r.opt_i32("integrity")?,
                            r.opt_i32("availability")?,
                            r.opt_i32("traceability")?,
                        ]
                        .into_iter()
                        .flatten()
                        .max()
                        .unwrap_or(0) as i16,
                        r.ts("classified_at")?.date_naive(),
                        r.opt_date("valid_until")?,
                    )),
                    None => None,
                };
                Ok((
                    r.uuid("system_id")?,
                    r.bool("personal_data")?,
                    r.bool("sensitive_personal_data")?,
                    levels,
                ))
            },
        )
        .await?;
    let mut class_state: BTreeMap<Uuid, (bool, Option<NaiveDate>, Option<NaiveDate>)> =
        BTreeMap::new();
    // The first day a set's newest classification no longer held, per system.
    let mut lapsed: BTreeMap<Uuid, NaiveDate> = BTreeMap::new();
    let mut unclassified: std::collections::BTreeSet<Uuid> = Default::default();
    for (sid, personal, sensitive, levels) in sets {
        each!(sid, |_b, f| {
            f.personal_data |= personal;
            f.sensitive_personal_data |= sensitive;
            // (all classified and valid, newest date, oldest date)
            let st = class_state.entry(sid).or_insert((true, None, None));
            match levels {
                Some((conf, level, on, valid_until)) => {
                    f.highest_level = Some(f.highest_level.map_or(level, |l| l.max(level)));
                    if let Some(c) = conf {
                        f.highest_confidentiality =
                            Some(f.highest_confidentiality.map_or(c, |l| l.max(c)));
                    }
                    if let Some(v) = valid_until.filter(|v| *v < today) {
                        st.0 = false;
                        let first = v + chrono::Days::new(1);
                        let e = lapsed.entry(sid).or_insert(first);
                        *e = (*e).min(first);
                    }
                    st.1 = Some(st.1.map_or(on, |d| d.max(on)));
                    st.2 = Some(st.2.map_or(on, |d| d.min(on)));
                }
                None => {
                    st.0 = false;
                    unclassified.insert(sid);
                }
            }
        });
    }
    // Every set classified, but one classification past its valid-until date:
    // expired (since then), not missing.
    for (sid, since) in lapsed {
        if !unclassified.contains(&sid) {
            each!(sid, |_b, f| {
                f.expired.insert("classification".into(), since);
            });
        }
    }
    for (sid, (complete, newest, oldest)) in class_state {
        each!(sid, |_b, f| {
            if let (true, Some(newest)) = (complete, newest) {
                f.artefacts.insert("classification".into(), newest);
            }
            if let Some(oldest) = oldest {
                // Classifying every set again is a classification review.
                keep_latest(&mut f.controls_done, "classification_review", oldest);
            }
        });
    }

    // Approved plans, the newest classification and approvals (whose status
    // depends on both).
    let plans = q
        .all(
            &format!(
                "SELECT system_id, id, version, approved_at FROM security_plans \
                 WHERE org_id = $1 AND status = '{}'{} ORDER BY version",
                PlanStatus::Approved.as_str(),
                filter("system_id")
            ),
            p(),
            |r| {
                Ok((
                    r.uuid("system_id")?,
                    r.uuid("id")?,
                    r.opt_ts("approved_at")?,
                ))
            },
        )
        .await?;
    let mut approved_plan: BTreeMap<Uuid, Uuid> = BTreeMap::new();
    for (sid, pid, at) in plans {
        approved_plan.insert(sid, pid);
        each!(sid, |_b, f| {
            f.artefacts.insert(
                "security_plan".into(),
                at.map(|a| a.date_naive()).unwrap_or(f.start),
            );
        });
    }
    // An approved outage plan; RTO and RPO set.
    for (sid, artefact, on) in crate::outage_plans::continuity_artefacts(q, org, only).await? {
        each!(sid, |_b, f| {
            keep_latest(&mut f.artefacts, artefact, on);
        });
    }
    // A decommissioning case with every gate passing, or closed.
    for (sid, on) in crate::decommission::gate_artefacts(q, org, only, today).await? {
        each!(sid, |_b, f| {
            keep_latest(&mut f.artefacts, DECOMMISSION_GATES, on);
        });
    }
    // Named in a record of processing (GDPR art. 30).
    for (sid, on) in crate::processing::covered_systems(q, org, only).await? {
        each!(sid, |_b, f| {
            keep_latest(&mut f.artefacts, PROCESSING_RECORD, on);
        });
    }
    // Regulatory facts: the entity class, high-risk AI and its FRIA, the DPIA decision.
    let (class, regulatory) = crate::regulatory::facts(q, org, only).await?;
    for s in &mut systems {
        s.facts.nis_class = class;
    }
    for (sid, fact) in regulatory {
        each!(sid, |_b, f| {
            fact.apply(f);
        });
    }
    // A supplier; a processor agreement in force with it; a support contract.
    let sup = crate::processors::supplier_facts(q, org, only, today).await?;
    for sid in sup.supplier_of.keys() {
        each!(*sid, |_b, f| {
            f.has_supplier = true;
        });
    }
    for (sid, on) in sup.processor {
        each!(sid, |_b, f| {
            keep_latest(&mut f.artefacts, PROCESSOR_AGREEMENT, on);
        });
    }
    for (sid, on) in sup.support {
        each!(sid, |_b, f| {
            keep_latest(&mut f.artefacts, SUPPORT_CONTRACT, on);
        });
    }
    let newest_class: BTreeMap<Uuid, Uuid> = q
        .all(
            &format!(
                "SELECT s.system_id, c.id FROM classifications c JOIN information_sets s ON s.id = c.information_set_id \
                 WHERE c.org_id = $1 AND s.archived = FALSE{} ORDER BY c.seq",
                filter("s.system_id")
            ),
            p(),
            |r| Ok((r.uuid("system_id")?, r.uuid("id")?)),
        )
        .await?
        .into_iter()
        .collect();
    let approvals = q
        .all(
            &format!(
                "SELECT {} FROM approvals WHERE org_id = $1{} ORDER BY created_at",
                crate::security::APPROVAL_COLS,
                filter("system_id")
            ),
            p(),
            crate::security::approval,
        )
        .await?;
    let mut latest_approval: BTreeMap<Uuid, insyn_domain::security::Approval> = BTreeMap::new();
    for a in approvals {
        latest_approval.insert(a.system_id.0, a);
    }
    for (sid, a) in latest_approval {
        let basis = CurrentBasis {
            classification_id: newest_class.get(&sid).copied(),
            plan_id: approved_plan.get(&sid).copied(),
        };
        let (status, _) = approval_status(&a, basis, today);
        if status == ApprovalStatus::Approved {
            let signed = a
                .owner_signed_at
                .max(a.it_signed_at)
                .map(|t| t.date_naive());
            each!(sid, |_b, f| {
                f.artefacts
                    .insert("operational_approval".into(), signed.unwrap_or(f.start));
            });
        }
    }

    let decisions = q
        .all(
            &format!(
                "SELECT system_id, decided_at FROM business_critical_decisions WHERE org_id = $1{}",
                filter("system_id")
            ),
            p(),
            |r| Ok((r.uuid("system_id")?, r.ts("decided_at")?.date_naive())),
        )
        .await?;
    for (sid, on) in decisions {
        each!(sid, |_b, f| {
            keep_latest(&mut f.artefacts, "business_critical_decision", on);
        });
    }

    let documents = q
        .all(
            &format!(
                "SELECT system_id, kind, dated FROM system_documents WHERE org_id = $1{}",
                filter("system_id")
            ),
            p(),
            |r| Ok((r.uuid("system_id")?, r.text("kind")?, r.date("dated")?)),
        )
        .await?;
    // A document never stands in for what insyn records itself (rows of such
    // kinds may remain from before kinds were checked, or from a full import).
    for (sid, kind, dated) in documents {
        if BUILTIN_ARTEFACTS.contains(&kind.as_str()) {
            continue;
        }
        each!(sid, |_b, f| {
            keep_latest(&mut f.artefacts, &kind, dated);
        });
    }

    let mut org_controls = BTreeMap::new();
    let controls = q
        .all(
            &format!(
                "SELECT system_id, control, performed_on, review_id FROM control_records WHERE org_id = $1{}",
                with_org("system_id")
            ),
            p(),
            |r| {
                Ok((
                    r.opt_uuid("system_id")?,
                    r.text("control")?,
                    r.date("performed_on")?,
                    r.opt_uuid("review_id")?,
                ))
            },
        )
        .await?;
    for (sid, control, on, review) in controls {
        // The annual review counts only as a signed checklist; the
        // classification review only as classifications (gathered above).
        if (control == ANNUAL_REVIEW && review.is_none()) || control == CLASSIFICATION_REVIEW {
            continue;
        }
        match sid {
            Some(sid) => each!(sid, |_b, f| {
                keep_latest(&mut f.controls_done, &control, on);
            }),
            None => keep_latest(&mut org_controls, &control, on),
        }
    }

    Ok(OrgFacts {
        systems,
        controls_done: org_controls,
        holders: org_holders,
        start: adopted.unwrap_or(org_created),
        closed_incidents: None,
    })
}
