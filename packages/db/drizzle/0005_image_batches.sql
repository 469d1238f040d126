-- Bulk upload: images dropped together share a batch id, so the recent-images list can show them as
-- one group and download them again as one ZIP. Single uploads and API images have none.
ALTER TABLE "images" ADD COLUMN "batch_id" uuid;
--> statement-breakpoint
CREATE INDEX "images_user_batch_idx" ON "images" USING btree ("user_id","batch_id") WHERE "images"."batch_id" is not null;
