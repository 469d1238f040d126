-- Idempotency keys: the digest of what a paid call fetched itself (its image_url's or bg_image_url's
-- bytes), which a replay must fetch again, gets a column of its own; it was kept in the fingerprint
-- after a "#". Existing keys: the part before the first "#" stays the fingerprint, the rest moves.
ALTER TABLE "charge_keys" ADD COLUMN IF NOT EXISTS "content_digest" text;
--> statement-breakpoint
UPDATE "charge_keys" SET
	"fingerprint" = left("fingerprint", strpos("fingerprint", '#') - 1),
	"content_digest" = nullif(substr("fingerprint", strpos("fingerprint", '#') + 1), '')
WHERE strpos("fingerprint", '#') > 0;
