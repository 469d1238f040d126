CREATE TABLE "status_checks" (
	"minute" bigint PRIMARY KEY NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"database_up" boolean NOT NULL,
	"storage_up" boolean NOT NULL,
	"inference_ready" integer NOT NULL,
	"inference_total" integer NOT NULL,
	"render_requests" integer NOT NULL,
	"render_errors" integer NOT NULL,
	CONSTRAINT "status_checks_status_check" CHECK ("status_checks"."status" in ('operational', 'degraded', 'down'))
);
--> statement-breakpoint
CREATE INDEX "status_checks_checked_at_idx" ON "status_checks" USING btree ("checked_at");
--> statement-breakpoint
CREATE TABLE "web_replicas" (
	"replica_id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"version" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "web_replicas_last_seen_idx" ON "web_replicas" USING btree ("last_seen");
--> statement-breakpoint
CREATE TABLE "render_counts" (
	"minute" bigint NOT NULL,
	"replica_id" text NOT NULL,
	"requests" integer NOT NULL,
	"errors" integer NOT NULL,
	CONSTRAINT "render_counts_minute_replica_id_pk" PRIMARY KEY("minute","replica_id"),
	CONSTRAINT "render_counts_range" CHECK ("render_counts"."errors" >= 0 and "render_counts"."errors" <= "render_counts"."requests")
);
