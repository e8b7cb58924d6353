-- IF NOT EXISTS: the migrator creates the schema first, to keep its journal inside it.
CREATE SCHEMA IF NOT EXISTS "migration";
--> statement-breakpoint
CREATE TABLE "migration"."checkpoints" (
	"tenant_id" text NOT NULL,
	"run_id" text NOT NULL,
	"entity" text NOT NULL,
	"last_key" jsonb,
	"done" boolean DEFAULT false NOT NULL,
	"counts" jsonb NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkpoints_run_id_entity_pk" PRIMARY KEY("run_id","entity")
);
--> statement-breakpoint
CREATE TABLE "migration"."id_map" (
	"tenant_id" text NOT NULL,
	"entity" text NOT NULL,
	"legacy_key" text NOT NULL,
	"only_id" text NOT NULL,
	"run_id" text NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "id_map_tenant_id_entity_legacy_key_pk" PRIMARY KEY("tenant_id","entity","legacy_key")
);
--> statement-breakpoint
CREATE TABLE "migration"."idempotency_keys" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status_code" smallint,
	"response_body" jsonb,
	"response_headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "migration"."outbox" (
	"id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"aggregate_id" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"headers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"occurred_at" timestamp (6) with time zone NOT NULL,
	"published_at" timestamp (6) with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "migration"."processed_messages" (
	"consumer" text NOT NULL,
	"message_id" uuid NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "processed_messages_consumer_message_id_pk" PRIMARY KEY("consumer","message_id")
);
--> statement-breakpoint
CREATE TABLE "migration"."quarantine" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"run_id" text NOT NULL,
	"entity" text NOT NULL,
	"legacy_key" text,
	"source_row" jsonb NOT NULL,
	"errors" jsonb NOT NULL,
	"quarantined_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "migration"."runs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"mapping_name" text NOT NULL,
	"mapping_hash" text NOT NULL,
	"source_url" text NOT NULL,
	"status" text NOT NULL,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	"started_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp (6) with time zone,
	CONSTRAINT "runs_status_check" CHECK ("migration"."runs"."status" in ('running', 'completed', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "migration"."checkpoints" ADD CONSTRAINT "checkpoints_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "migration"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "migration"."quarantine" ADD CONSTRAINT "quarantine_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "migration"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at_idx" ON "migration"."idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "outbox_pending_idx" ON "migration"."outbox" USING btree ("id") WHERE "migration"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_occurred_at_idx" ON "migration"."outbox" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "processed_messages_processed_at_idx" ON "migration"."processed_messages" USING btree ("processed_at");--> statement-breakpoint
CREATE INDEX "quarantine_run_idx" ON "migration"."quarantine" USING btree ("run_id","entity","id");--> statement-breakpoint
CREATE UNIQUE INDEX "quarantine_run_entity_key_key" ON "migration"."quarantine" USING btree ("run_id","entity","legacy_key");--> statement-breakpoint
CREATE INDEX "quarantine_tenant_entity_key_idx" ON "migration"."quarantine" USING btree ("tenant_id","entity","legacy_key");--> statement-breakpoint
CREATE INDEX "runs_tenant_started_idx" ON "migration"."runs" USING btree ("tenant_id","id" DESC NULLS LAST);