CREATE TABLE "limit_hits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bucket" text NOT NULL,
	"cost" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "limit_hits_cost_check" CHECK ("limit_hits"."cost" > 0)
);
--> statement-breakpoint
CREATE INDEX "limit_hits_bucket_at_idx" ON "limit_hits" USING btree ("bucket","at");
