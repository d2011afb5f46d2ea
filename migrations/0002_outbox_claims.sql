-- Sending mail safely: a sender claims a message before talking to the SMTP server, so two
-- `crm outbox send` runs never deliver the same message twice; a claim that outlives its sender
-- (a crash) expires and the message is tried again. The Message-ID stays the same on every try,
-- so a receiving server can recognise a repeat.
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
ALTER TABLE outbox ADD COLUMN message_id TEXT;
