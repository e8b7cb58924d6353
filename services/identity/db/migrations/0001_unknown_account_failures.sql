CREATE TABLE "identity"."unknown_account_failures" (
	"key_hash" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"locked_until" timestamp (6) with time zone,
	"last_failed_at" timestamp (6) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "unknown_account_failures_last_failed_at_idx" ON "identity"."unknown_account_failures" USING btree ("last_failed_at");