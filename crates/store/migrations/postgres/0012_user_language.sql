-- Each user's language ('sv' or 'en'): the interface's and their mail's
-- (an access order's notices are written in the recipient's language).
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'sv';
