-- A person's erase/restore brush strokes on one image (@bgr/strokes EditDocument, at most 256 KB),
-- one row per image, replaced on every save and deleted by "Reset to automatic". HD renders apply
-- them at full size; the revision (a hash of the document) names each edited variant in storage.
CREATE TABLE "image_edits" (
	"image_id" uuid PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL,
	"stroke_count" integer NOT NULL,
	"bytes" integer NOT NULL,
	"revision" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "image_edits_stroke_count_check" CHECK ("image_edits"."stroke_count" >= 0),
	CONSTRAINT "image_edits_bytes_check" CHECK ("image_edits"."bytes" between 0 and 262144)
);
--> statement-breakpoint
ALTER TABLE "image_edits" ADD CONSTRAINT "image_edits_image_id_images_id_fk" FOREIGN KEY ("image_id") REFERENCES "public"."images"("id") ON DELETE cascade ON UPDATE no action;
