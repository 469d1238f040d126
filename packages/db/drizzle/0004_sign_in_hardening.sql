-- Sign-in hardening: a session version that ends every older next-auth JWT when bumped, and the
-- OIDC identity (issuer + subject) an account is bound to, so SSO finds it again without its email.
ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "oidc_issuer" text;
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "oidc_subject" text;
--> statement-breakpoint
CREATE UNIQUE INDEX "users_oidc_identity_key" ON "users" USING btree ("oidc_issuer","oidc_subject") WHERE "users"."oidc_subject" is not null;
