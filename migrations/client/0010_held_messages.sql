-- Why: safeguarding (PROGRAM.md, "Minors"): a message between a minor and an adult carrying
-- contact details is held for the program's coordinators; its sender sees it "held" (with the
-- reason) until it is released (delivered) or rejected. Others never receive it until then.
ALTER TABLE messages ADD COLUMN status TEXT NOT NULL DEFAULT 'delivered';
ALTER TABLE messages ADD COLUMN held_reason TEXT;
