//! The audit trail's vocabulary: what was done ([`AuditAction`]) to which
//! kind of object ([`AuditObject`]). The store writes [`AuditAction::as_str`]
//! and [`AuditObject::as_str`] into each entry, and the trail's hash chain
//! seals those strings, so a word, once written, never changes.

/// Declares a vocabulary enum with the exact string each variant is stored as.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vm])* $variant,)+
        }

        impl $name {
            /// Every word, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The word as the trail stores it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The word for a stored string, if it is one of ours.
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|w| w.as_str() == s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// What a change did.
    AuditAction {
        Create => "create",
        Update => "update",
        Archive => "archive",
        Restore => "restore",
        Revoke => "revoke",
        /// A policy profile adopted (a different one than before).
        Adopt => "adopt",
        /// A review or an approval signed.
        Sign => "sign",
        Submit => "submit",
        Return => "return",
        Approve => "approve",
        /// An information set classified.
        Classify => "classify",
        /// The business-critical decision on a system.
        Decide => "decide",
        /// Mails queued (reminders).
        Queue => "queue",
        /// A spreadsheet imported into the register.
        Import => "import",
        /// A full export imported as a new organisation.
        ImportFull => "import_full",
        /// The demo municipality loaded.
        Demo => "demo",
        SignIn => "sign_in",
        SignInFailed => "sign_in_failed",
        SignInThrottled => "sign_in_throttled",
        /// An external sign-in (OpenID Connect) linked to a user.
        LinkSignIn => "link_sign_in",
        /// Access ordered (behörighetsbeställning), or its removal.
        Order => "order",
        /// An access order rejected by its decider.
        Reject => "reject",
        /// An access order carried out in the system.
        CarryOut => "carry_out",
        /// An access order that could not be carried out.
        Fail => "fail",
        /// An access order taken back.
        Withdraw => "withdraw",
        /// An incident reported.
        Report => "report",
        /// An incident's status changed.
        ChangeStatus => "change_status",
        /// An incident assessed as significant or not.
        Assess => "assess",
        /// A reporting clock's report made, or the clock set aside.
        RecordClock => "record_clock",
        /// A note in an incident's timeline.
        Note => "note",
        /// An item of an access review answered (keep, remove, not sure).
        Answer => "answer",
        /// A record removed (a backup, an integration); the trail keeps what it was.
        Remove => "remove",
    }
}

vocabulary! {
    /// What kind of object a change was made to.
    AuditObject {
        Organisation => "organisation",
        Unit => "unit",
        Person => "person",
        Product => "product",
        System => "system",
        RoleType => "role_type",
        RoleAssignment => "role_assignment",
        User => "user",
        ApiToken => "api_token",
        Review => "review",
        Reminders => "reminders",
        ImportMapping => "import_mapping",
        ClassificationScale => "classification_scale",
        InformationSet => "information_set",
        SecurityPlan => "security_plan",
        Approval => "approval",
        FieldSecrecy => "field_secrecy",
        PolicyProfile => "policy_profile",
        SystemDocument => "system_document",
        ControlRecord => "control_record",
        AccessProfile => "access_profile",
        AccessOrder => "access_order",
        Holding => "access_holding",
        Incident => "incident",
        /// An access review (behörighetskontroll) and its items.
        AccessReview => "access_review",
        /// A system's continuity requirements (RTO, RPO, MTD …).
        SystemContinuity => "system_continuity",
        /// A backup of a system (säkerhetskopiering).
        Backup => "backup",
        /// A restore test (återläsningstest) and its actions.
        RestoreTest => "restore_test",
        /// An integration between two systems (samverkande system).
        Integration => "integration",
        /// A system's outage plan (avbrottsplan), one version.
        OutagePlan => "outage_plan",
        /// A record type a system holds (handlingstyp, informationshanteringsplan).
        RecordType => "record_type",
        /// A system's archive responsibility (arkivansvar).
        ArchiveResponsibility => "archive_responsibility",
        /// An erasure record of a medium (NIST SP 800-88).
        Erasure => "erasure",
        /// A system's decommissioning case (avveckling).
        DecommissionCase => "decommission_case",
        /// A mover's role waiting for the old unit's manager (handed over or kept).
        RoleHandover => "role_handover",
        /// A supplier (leverantör).
        Supplier => "supplier",
        /// A contract (avtal) with a supplier.
        Contract => "contract",
        /// A processor agreement (personuppgiftsbiträdesavtal).
        ProcessorAgreement => "processor_agreement",
        /// A benefit assessment of a system (nyttobedömning, Stockholm 2.6).
        BenefitAssessment => "benefit_assessment",
        /// A licence of a system (what was bought, against what is in use).
        Licence => "licence",
        /// A record of processing activities (registerförteckning, GDPR art. 30).
        ProcessingRecord => "processing_record",
        /// The organisation's entity class under cybersäkerhetslagen.
        NisEntityClass => "nis_entity_class",
        /// A system's AI Act facts (risk class, role, FRIA).
        AiActFacts => "ai_act_facts",
        /// An e-service (e-tjänst) and its assessment.
        EService => "eservice",
        /// Which of an organisation's e-service fields the public register shows.
        EServicePublicFields => "eservice_public_fields",
        /// An IT service (IT-tjänst) and its service levels.
        ItService => "it_service",
        /// A follow-up of an IT service's levels for one period.
        ItServiceFollowUp => "it_service_follow_up",
        /// A webhook subscription (its secret never recorded).
        WebhookSubscription => "webhook_subscription",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_word_is_distinct_and_reads_back() {
        let actions: HashSet<_> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(actions.len(), AuditAction::ALL.len());
        let objects: HashSet<_> = AuditObject::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(objects.len(), AuditObject::ALL.len());
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(*a));
        }
        for o in AuditObject::ALL {
            assert_eq!(AuditObject::parse(o.as_str()), Some(*o));
            assert_eq!(o.to_string(), o.as_str());
        }
        assert_eq!(AuditAction::parse("delete"), None);
    }

    #[test]
    fn stored_words_stay_as_they_were() {
        // The hash chain seals these strings: changing one breaks every
        // entry written with it.
        assert_eq!(AuditAction::ImportFull.as_str(), "import_full");
        assert_eq!(AuditAction::SignInThrottled.as_str(), "sign_in_throttled");
        assert_eq!(AuditObject::RoleAssignment.as_str(), "role_assignment");
        assert_eq!(AuditObject::Organisation.as_str(), "organisation");
    }
}
