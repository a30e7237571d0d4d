use super::*;

fn unit(name: &str) -> Unit {
    Unit {
        id: UnitId::new(),
        org_id: OrgId::new(),
        parent_id: None,
        name: name.into(),
        level: "Enhet".into(),
        manager_id: None,
        archived: false,
        updated_at: chrono::Utc::now(),
    }
}

fn person(name: &str, email: Option<&str>, unit: &Unit) -> Person {
    Person {
        id: PersonId::new(),
        org_id: unit.org_id,
        name: name.into(),
        email: email.map(str::to_owned),
        title: Some("Handläggare".into()),
        unit_id: Some(unit.id),
        active: true,
        updated_at: chrono::Utc::now(),
        employee_number: None,
    }
}

fn row(n: usize, name: &str, email: &str, unit: &str) -> HrRow {
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    HrRow {
        row: n,
        name: opt(name),
        email: opt(email),
        unit: opt(unit),
        ..HrRow::default()
    }
}

fn today() -> NaiveDate {
    "2026-12-06".parse().unwrap()
}

#[test]
fn new_changed_moved_and_leaving_people_exactly() {
    let (it, hr) = (unit("IT-enheten"), unit("HR-enheten"));
    let kim = person("Kim Karlsson", Some("kim@kommunen.se"), &it);
    let lo = person("Lo Lind", Some("lo@kommunen.se"), &it);
    let bo = person("Bo Berg", None, &it);
    let ann = person("Ann Ek", Some("ann@kommunen.se"), &hr);
    let eva = person("Eva Ek", Some("eva@kommunen.se"), &hr);
    let people = [
        kim.clone(),
        lo.clone(),
        bo.clone(),
        ann.clone(),
        eva.clone(),
    ];
    let mut gone = row(6, "Ann Ek", "ann@kommunen.se", "HR-enheten");
    gone.end_date = Some("2026-11-30".parse().unwrap());
    let mut inactive = row(7, "Eva Ek", "EVA@kommunen.se", "");
    inactive.active = Some(false);
    let rows = [
        row(2, "Kim Karlsson", "KIM@kommunen.se", "it-enheten"),
        row(3, "Lo Lindqvist", "lo@kommunen.se", "HR-enheten"),
        row(4, "Bo Berg", "bo@kommunen.se", ""),
        row(5, "Ole Ek", "ole@kommunen.se", "Okänd enhet"),
        gone,
        inactive,
        row(8, "Nya Nilsson", "nya@kommunen.se", "HR-enheten"),
        row(9, "Nya Igen", "nya@kommunen.se", ""),
    ];
    let plan = plan_hr(&rows, &people, &[it.clone(), hr.clone()], false, today());
    assert_eq!(
        plan.new_people,
        vec![HrNewPerson {
            row: 8,
            name: "Nya Nilsson".into(),
            email: Some("nya@kommunen.se".into()),
            employee_number: None,
            unit_id: Some(hr.id),
        }]
    );
    let changed: Vec<(usize, PersonId, Vec<String>, bool)> = plan
        .changed
        .iter()
        .map(|c| (c.row, c.person_id, c.fields.clone(), c.moved))
        .collect();
    assert_eq!(
        changed,
        vec![
            (3, lo.id, vec!["name".into(), "unit".into()], true),
            (4, bo.id, vec!["email".into()], false),
        ]
    );
    assert_eq!(
        changed_draft(&lo, &plan.changed[0]).title.as_deref(),
        Some("Handläggare")
    );
    assert_eq!(
        plan.leavers,
        vec![
            HrLeaver {
                row: Some(6),
                person_id: ann.id,
                reason: LeaveReason::EndDate
            },
            HrLeaver {
                row: Some(7),
                person_id: eva.id,
                reason: LeaveReason::Inactive
            },
        ]
    );
    let issues: Vec<(usize, &str, &str)> = plan
        .issues
        .iter()
        .map(|i| (i.row, i.column.as_str(), i.code.as_str()))
        .collect();
    assert_eq!(
        issues,
        vec![(5, "unit", HR_UNKNOWN_UNIT), (9, "email", HR_DUPLICATE)]
    );
}

#[test]
fn a_complete_file_makes_the_unnamed_leavers_and_the_same_file_changes_nothing() {
    let it = unit("IT");
    let kim = person("Kim", Some("kim@kommunen.se"), &it);
    let lo = person("Lo", Some("lo@kommunen.se"), &it);
    let mut left = person("Bo", Some("bo@kommunen.se"), &it);
    left.active = false;
    let people = [kim.clone(), lo.clone(), left];
    let rows = [row(2, "Kim", "kim@kommunen.se", "IT")];
    let units = [it];
    assert!(plan_hr(&rows, &people, &units, false, today()).is_empty());
    let plan = plan_hr(&rows, &people, &units, true, today());
    assert_eq!(
        plan.leavers,
        vec![HrLeaver {
            row: None,
            person_id: lo.id,
            reason: LeaveReason::Missing
        }]
    );
    // A future end date is not leaving yet; a bad row names its problem.
    let mut later = row(2, "Kim", "kim@kommunen.se", "");
    later.end_date = Some("2027-01-31".parse().unwrap());
    let plan = plan_hr(
        &[later, row(3, "", "ny@kommunen.se", "")],
        &people,
        &units,
        false,
        today(),
    );
    assert!(plan.leavers.is_empty() && plan.new_people.is_empty());
    assert_eq!(plan.issues[0].column, "name");
}

#[test]
fn a_name_without_email_matches_one_person_once() {
    let it = unit("IT");
    let bo = person("Bo Berg", None, &it);
    let bo2 = person("Bo Berg", None, &it);
    let cia = person("Cia Ek", None, &it);
    let people = [bo.clone(), bo2, cia.clone()];
    let rows = [
        row(2, "Bo Berg", "", "IT"),
        row(3, "Cia Ek", "", "IT"),
        row(4, "cia  ek", "", ""),
    ];
    let plan = plan_hr(&rows, &people, &[it], false, today());
    assert!(plan.new_people.is_empty() && plan.changed.is_empty());
    let issues: Vec<(usize, &str)> = plan
        .issues
        .iter()
        .map(|i| (i.row, i.code.as_str()))
        .collect();
    assert_eq!(issues, vec![(2, HR_WHICH_PERSON), (4, HR_DUPLICATE)]);
}

#[test]
fn the_employee_number_matches_first_then_the_e_mail() {
    let it = unit("IT-enheten");
    let mut kim = person("Kim Karlsson", Some("kim@kommunen.se"), &it);
    kim.employee_number = Some("1001".into());
    let lo = person("Lo Lind", Some("lo@kommunen.se"), &it);
    let people = [kim.clone(), lo.clone()];
    let numbered = |n: usize, name: &str, email: &str, number: &str| HrRow {
        employee_number: Some(number.into()),
        ..row(n, name, email, "IT-enheten")
    };
    // Kim changed e-mail: the number still finds her; Lo gets hers; a
    // second row with Lo's number is a duplicate; a new person keeps it.
    let rows = [
        numbered(2, "Kim Karlsson", "kim.karlsson@kommunen.se", "1001"),
        numbered(3, "Lo Lind", "lo@kommunen.se", "1002"),
        numbered(4, "Lo Igen", "igen@kommunen.se", " 1002 "),
        numbered(5, "Nya Nilsson", "nya@kommunen.se", "1003"),
        numbered(6, "Lång", "lang@kommunen.se", &"9".repeat(51)),
    ];
    let plan = plan_hr(&rows, &people, std::slice::from_ref(&it), false, today());
    let changed: Vec<(PersonId, Vec<String>, Option<String>)> = plan
        .changed
        .iter()
        .map(|c| (c.person_id, c.fields.clone(), c.employee_number.clone()))
        .collect();
    assert_eq!(
        changed,
        vec![
            (kim.id, vec!["email".into()], Some("1001".into())),
            (lo.id, vec!["employee_number".into()], Some("1002".into())),
        ]
    );
    assert_eq!(plan.new_people.len(), 1);
    assert_eq!(plan.new_people[0].employee_number.as_deref(), Some("1003"));
    let issues: Vec<(usize, &str, &str)> = plan
        .issues
        .iter()
        .map(|i| (i.row, i.column.as_str(), i.code.as_str()))
        .collect();
    assert_eq!(
        issues,
        vec![
            (4, "employee_number", HR_DUPLICATE),
            (6, "employee_number", crate::validation::TOO_LONG),
        ]
    );
}
