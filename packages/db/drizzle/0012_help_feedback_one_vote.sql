-- Help-page feedback: one vote per person and help topic, kept by a unique index (voting again is an
-- upsert). Votes left more than once before this rule fold into the person's latest one (newest
-- created_at, then id). Votes without a person (user_id null) stay rows of their own.
-- Replicas of the previous version may still be adding votes (a row per click): writes wait from
-- here to the end of the migration, so none lands between the fold and the index, whose build it
-- would fail.
LOCK TABLE "help_feedback" IN SHARE ROW EXCLUSIVE MODE;
--> statement-breakpoint
DELETE FROM "help_feedback" WHERE "id" IN (
	SELECT "id" FROM (
		SELECT "id", row_number() OVER (PARTITION BY "user_id", "topic" ORDER BY "created_at" DESC, "id" DESC) AS "rank"
		FROM "help_feedback"
		WHERE "user_id" IS NOT NULL
	) AS "ranked"
	WHERE "ranked"."rank" > 1
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "help_feedback_user_topic_key" ON "help_feedback" USING btree ("user_id","topic");
