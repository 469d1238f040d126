-- Bulk upload: where each image stood among the files the person chose (0 = first). Uploads run 3 at
-- once and finish in any order, so the order rows were created is not the order chosen; the recent
-- batches list and the ZIP downloaded again follow this. Existing batch rows: their created order.
ALTER TABLE "images" ADD COLUMN "batch_position" integer;
--> statement-breakpoint
UPDATE "images" SET "batch_position" = "ordered"."position"
FROM (
	SELECT "id", (row_number() OVER (PARTITION BY "user_id", "batch_id" ORDER BY "created_at", "id") - 1)::integer AS "position"
	FROM "images"
	WHERE "batch_id" IS NOT NULL
) AS "ordered"
WHERE "images"."id" = "ordered"."id" AND "images"."batch_position" IS NULL;
