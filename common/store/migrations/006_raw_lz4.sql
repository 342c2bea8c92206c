-- 006: the stored raw messages are compressed with lz4 instead of pglz:
-- several times faster to write (the milter stores every message before
-- it answers), nearly as small for mail text; attachments that do not
-- compress cost little time either way.
ALTER TABLE messages ALTER COLUMN raw SET COMPRESSION lz4;
