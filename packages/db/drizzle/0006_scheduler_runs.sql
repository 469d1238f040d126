CREATE TABLE "scheduler_runs" (
	"job" text NOT NULL,
	"tick" bigint NOT NULL,
	"runner" text NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "scheduler_runs_job_tick_pk" PRIMARY KEY("job","tick")
);
--> statement-breakpoint
CREATE INDEX "scheduler_runs_started_at_idx" ON "scheduler_runs" USING btree ("started_at");
