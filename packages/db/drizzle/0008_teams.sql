-- Teams: departments that hold credits like a person does. A lot, a plan and a ledger entry belong
-- to exactly one owner, a person or a team; a hold stays the charging person's and records how many
-- of its units came from their team (the member's monthly cap counts those).
CREATE TABLE "teams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"owners_manage_members" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "teams_name_check" CHECK (length(btrim("name")) between 1 and 100)
);
--> statement-breakpoint
CREATE UNIQUE INDEX "teams_name_key" ON "teams" USING btree (lower("name"));
--> statement-breakpoint
CREATE TABLE "team_members" (
	"user_id" uuid PRIMARY KEY NOT NULL REFERENCES "users"("id") ON DELETE cascade,
	"team_id" uuid NOT NULL REFERENCES "teams"("id") ON DELETE cascade,
	"role" text DEFAULT 'member' NOT NULL,
	"monthly_cap_units" integer,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_members_role_check" CHECK ("role" in ('owner','member')),
	CONSTRAINT "team_members_cap_check" CHECK ("monthly_cap_units" is null or "monthly_cap_units" >= 0)
);
--> statement-breakpoint
CREATE INDEX "team_members_team_idx" ON "team_members" USING btree ("team_id");
--> statement-breakpoint
ALTER TABLE "lots" ALTER COLUMN "user_id" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "lots" ADD COLUMN "team_id" uuid REFERENCES "teams"("id");
--> statement-breakpoint
ALTER TABLE "lots" ADD CONSTRAINT "lots_one_owner" CHECK (("user_id" is null) <> ("team_id" is null));
--> statement-breakpoint
CREATE INDEX "lots_team_idx" ON "lots" USING btree ("team_id") WHERE "lots"."team_id" is not null;
--> statement-breakpoint
ALTER TABLE "subscriptions" ALTER COLUMN "user_id" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "team_id" uuid REFERENCES "teams"("id");
--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_one_owner" CHECK (("user_id" is null) <> ("team_id" is null));
--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_team_one_active" ON "subscriptions" USING btree ("team_id") WHERE "subscriptions"."status" = 'active' and "subscriptions"."team_id" is not null;
--> statement-breakpoint
ALTER TABLE "ledger_entries" ALTER COLUMN "user_id" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "team_id" uuid REFERENCES "teams"("id");
--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_one_owner" CHECK (("user_id" is null) <> ("team_id" is null));
--> statement-breakpoint
CREATE INDEX "ledger_entries_team_idx" ON "ledger_entries" USING btree ("team_id","id") WHERE "ledger_entries"."team_id" is not null;
--> statement-breakpoint
ALTER TABLE "holds" ADD COLUMN "team_id" uuid REFERENCES "teams"("id");
--> statement-breakpoint
ALTER TABLE "holds" ADD COLUMN "team_units" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "holds" ADD CONSTRAINT "holds_team_units_check" CHECK ("team_units" >= 0 and "team_units" <= "units" and ("team_id" is not null or "team_units" = 0));
--> statement-breakpoint
CREATE INDEX "holds_team_user_idx" ON "holds" USING btree ("team_id","user_id","created_at") WHERE "holds"."team_id" is not null;
