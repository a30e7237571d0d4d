-- How often each user wants the policy reminders' mail (issue 23 item 7):
-- as_due (each reminder when it falls due, as before), weekly, monthly,
-- overdue_only or never; and the day the last one was queued for them, so
-- weekly and monthly hold new reminders back until their gap has passed.
ALTER TABLE users ADD COLUMN mail_frequency TEXT NOT NULL DEFAULT 'as_due';
ALTER TABLE users ADD COLUMN reminders_mailed_on TEXT;
