-- One charging path: idempotency keys bound to a request fingerprint, and HD variants counted.
CREATE TABLE "charge_keys" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"hold_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	CONSTRAINT "charge_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
ALTER TABLE "charge_keys" ADD CONSTRAINT "charge_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "charge_keys" ADD CONSTRAINT "charge_keys_hold_id_holds_id_fk" FOREIGN KEY ("hold_id") REFERENCES "public"."holds"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "charge_keys_expires_idx" ON "charge_keys" USING btree ("expires_at");
--> statement-breakpoint
CREATE TABLE "image_variants" (
	"image_id" uuid NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "image_variants_image_id_storage_key_pk" PRIMARY KEY("image_id","storage_key")
);
--> statement-breakpoint
ALTER TABLE "image_variants" ADD CONSTRAINT "image_variants_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- The /improve daily limit is counted per user.
CREATE INDEX "improvement_submissions_user_idx" ON "improvement_submissions" USING btree ("user_id","created_at");
--> statement-breakpoint
-- HD already paid under the old hold keys (hd:<hash>, or hd:<hash>:<retry> after a failed try)
-- stays paid: one key per content hash, pointing to a captured hold.
INSERT INTO "charge_keys" ("user_id", "key", "fingerprint", "hold_id", "created_at", "expires_at")
SELECT DISTINCT ON (h."user_id", split_part(h."key", ':', 2))
	h."user_id", 'hd:' || split_part(h."key", ':', 2), split_part(h."key", ':', 2), h."id", coalesce(h."settled_at", h."created_at"), NULL
FROM "holds" h
WHERE h."key" LIKE 'hd:%' AND h."status" = 'captured'
ORDER BY h."user_id", split_part(h."key", ':', 2), h."created_at";
--> statement-breakpoint
-- Stored HD results of existing images become their first variants.
INSERT INTO "image_variants" ("image_id", "storage_key", "created_at")
SELECT "id", "hd_result_key", coalesce("hd_at", "created_at") FROM "images" WHERE "hd_result_key" IS NOT NULL
ON CONFLICT DO NOTHING;
