-- The processor agreements (GDPR art. 28) a record of processing names as
-- its processors, beside the record's free-text processors.
CREATE TABLE processing_record_agreements (
    processing_record_id BLOB NOT NULL REFERENCES processing_records(id),
    agreement_id BLOB NOT NULL REFERENCES processor_agreements(id),
    org_id BLOB NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (processing_record_id, agreement_id)
);
CREATE INDEX processing_record_agreements_agreement ON processing_record_agreements(agreement_id);
